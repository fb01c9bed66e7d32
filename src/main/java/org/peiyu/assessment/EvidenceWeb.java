package org.peiyu.assessment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.directory.TeacherDetail;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.PeiyuUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Evidence review pages: rounds and assignment for schools, submission for teachers, grading for reviewers. */
@Controller
class EvidenceWeb {

    private final EvidenceReview review;
    private final Teachers teachers;
    private final Rubrics rubrics;

    EvidenceWeb(EvidenceReview review, Teachers teachers, Rubrics rubrics) {
        this.review = review;
        this.teachers = teachers;
        this.rubrics = rubrics;
    }

    private static boolean english() {
        return "en".equals(LocaleContextHolder.getLocale().getLanguage());
    }

    // ---- schools ---------------------------------------------------------------------------------------------

    @GetMapping("/reviews/rounds")
    String rounds(Model model) {
        model.addAttribute("rounds", review.rounds(CurrentUser.adminScope()));
        return "assessment/rounds";
    }

    @PostMapping("/reviews/rounds")
    String createRound(@RequestParam(required = false) String title, @RequestParam(required = false) String unitCode,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                       LocalDateTime opensAt,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                       LocalDateTime closesAt,
                       @RequestParam(required = false) Integer minPoints,
                       @RequestParam(required = false) Integer minDimensions,
                       @RequestParam(defaultValue = "false") boolean blind,
                       @RequestParam(required = false) Double recommendShare,
                       @RequestParam(defaultValue = "false") boolean excludeSameGroup, Model model,
                       RedirectAttributes redirect) {
        try {
            long id = review.createRound(title, unitCode, opensAt, closesAt, minPoints, minDimensions, blind,
                    recommendShare, excludeSameGroup, CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "action.saved");
            return "redirect:/reviews/rounds/" + id;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return rounds(model);
        }
    }

    @GetMapping("/reviews/rounds/{id}")
    String round(@PathVariable long id, Model model) {
        EvidenceReview.Round round = review.round(id, CurrentUser.adminScope());
        model.addAttribute("round", round);
        model.addAttribute("submissions", review.submissions(id, CurrentUser.adminScope()));
        java.util.Map<UUID, org.peiyu.framework.FrameworkItem> points = new java.util.HashMap<>();
        review.points(round).forEach(p -> points.put(p.identifier(), p));
        model.addAttribute("points", points);
        model.addAttribute("recommendations", review.recommendations(id, CurrentUser.adminScope()));
        model.addAttribute("english", english());
        return "assessment/round";
    }

    @GetMapping("/reviews/submissions/{id}")
    String submissionForAdmin(@PathVariable long id, Model model) {
        EvidenceReview.Submission s = review.forAdmin(id, CurrentUser.adminScope());
        model.addAttribute("s", s);
        model.addAttribute("points", review.points(s, true));
        model.addAttribute("candidates", review.candidates(id, CurrentUser.adminScope()));
        model.addAttribute("submissionId", id);
        model.addAttribute("english", english());
        return "assessment/assign";
    }

    @PostMapping("/reviews/submissions/{id}/assign")
    String assign(@PathVariable long id, @RequestParam(required = false) Long reviewerId, RedirectAttributes redirect) {
        try {
            if (reviewerId == null) {
                throw new BadInputException("reviewer", "error.required");
            }
            review.assign(id, reviewerId, CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "action.saved");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/reviews/submissions/" + id;
    }

    @PostMapping("/reviews/submissions/{id}/recommend")
    String recommend(@PathVariable long id, @RequestParam UUID point, @RequestParam long round,
                     RedirectAttributes redirect) {
        try {
            review.recommend(id, point, CurrentUser.adminScope(), CurrentUser.get().getUsername());
            redirect.addFlashAttribute("notice", "review.recommended");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/reviews/rounds/" + round;
    }

    // ---- teachers --------------------------------------------------------------------------------------------

    private TeacherDetail me() {
        Long id = CurrentUser.get().teacherId();
        if (id == null) {
            throw new NotFoundException();
        }
        return teachers.get(id, CurrentUser.scope());
    }

    @GetMapping("/my/evidence")
    String myRounds(Model model) {
        model.addAttribute("rounds", review.roundsFor(me().path()));
        return "assessment/my-rounds";
    }

    @GetMapping("/my/evidence/{roundId}")
    String mySubmission(@PathVariable long roundId, Model model) {
        TeacherDetail me = me();
        EvidenceReview.Submission s = review.mine(roundId, me.id(), me.name(), me.path());
        EvidenceReview.Round r = review.round(roundId);
        model.addAttribute("round", r);
        model.addAttribute("s", s);
        List<EvidenceReview.PointView> chosen = review.points(s, false);
        model.addAttribute("chosen", chosen);
        model.addAttribute("chosenIds", chosen.stream().map(p -> p.point().identifier())
                .collect(java.util.stream.Collectors.toSet()));
        model.addAttribute("offered", review.points(r));
        model.addAttribute("forms", EvidenceReview.Form.values());
        model.addAttribute("rubrics", rubrics.inForce(s.path()));
        model.addAttribute("english", english());
        return "assessment/my-submission";
    }

    @PostMapping("/my/evidence/{roundId}/points")
    String choose(@PathVariable long roundId, @RequestParam(required = false) List<UUID> points,
                  RedirectAttributes redirect) {
        TeacherDetail me = me();
        try {
            review.choose(review.mine(roundId, me.id(), me.name(), me.path()).id(), me.id(),
                    points == null ? List.of() : points);
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/my/evidence/" + roundId;
    }

    @PostMapping("/my/evidence/{roundId}/files")
    String upload(@PathVariable long roundId, @RequestParam(required = false) UUID point,
                  @RequestParam(required = false) EvidenceReview.Form form,
                  @RequestParam(required = false) MultipartFile file, RedirectAttributes redirect) throws IOException {
        TeacherDetail me = me();
        try {
            review.upload(review.mine(roundId, me.id(), me.name(), me.path()).id(), me.id(), point, form,
                    file == null ? null : file.getOriginalFilename(), file == null ? null : file.getBytes());
            redirect.addFlashAttribute("notice", "review.uploaded");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/my/evidence/" + roundId;
    }

    @PostMapping("/my/evidence/{roundId}/submit")
    String submit(@PathVariable long roundId, RedirectAttributes redirect) {
        TeacherDetail me = me();
        try {
            review.submit(review.mine(roundId, me.id(), me.name(), me.path()).id(), me.id());
            redirect.addFlashAttribute("notice", "review.submitted");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/my/evidence/" + roundId;
    }

    // ---- reviewers -------------------------------------------------------------------------------------------

    @GetMapping("/reviews")
    String myAssignments(Model model) {
        model.addAttribute("assignments", review.assignments(CurrentUser.get().accountId()));
        return "assessment/assignments";
    }

    @GetMapping("/reviews/{submissionId}")
    String grading(@PathVariable long submissionId, Model model) {
        EvidenceReview.Submission s = review.forReviewer(submissionId, CurrentUser.get().accountId());
        model.addAttribute("s", s);
        model.addAttribute("points", review.points(s, false));
        model.addAttribute("grades", EvidenceReview.Grade.values());
        model.addAttribute("rubrics", rubrics.inForce(s.path()));
        model.addAttribute("english", english());
        return "assessment/grading";
    }

    @PostMapping("/reviews/{submissionId}/files/{fileId}/grade")
    String grade(@PathVariable long submissionId, @PathVariable long fileId,
                 @RequestParam(required = false) EvidenceReview.Grade grade,
                 @RequestParam(required = false) String comment, RedirectAttributes redirect) {
        try {
            review.grade(fileId, CurrentUser.get().accountId(), grade, comment);
            redirect.addFlashAttribute("notice", "review.graded");
        } catch (BadInputException e) {
            redirect.addFlashAttribute("problems", e.problems());
        }
        return "redirect:/reviews/" + submissionId;
    }

    /** Evidence downloads, for its teacher, its reviewers and admins over its school. */
    @GetMapping("/evidence/files/{id}")
    void download(@PathVariable long id, HttpServletResponse response) throws IOException {
        PeiyuUser me = CurrentUser.get();
        EvidenceReview.FileContent f = review.file(id, me.teacherId(), me.accountId(), me.scope());
        response.setContentType(f.contentType());
        response.setHeader("Content-Disposition",
                ContentDisposition.attachment().filename(f.fileName(), StandardCharsets.UTF_8).build().toString());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getOutputStream().write(f.content());
    }
}

@Configuration(proxyBeanMethods = false)
class EvidenceNavigation {
    @Bean
    NavigationEntry myEvidenceNav() {
        return new NavigationEntry("nav.myEvidence", "/my/evidence", EnumSet.of(Role.TEACHER), 3);
    }

    @Bean
    NavigationEntry reviewRoundsNav() {
        return new NavigationEntry("nav.reviewRounds", "/reviews/rounds", Role.ADMINS, 42);
    }

    @Bean
    NavigationEntry reviewsNav() {
        return new NavigationEntry("nav.reviews", "/reviews", EnumSet.of(Role.REVIEWER), 4);
    }
}
