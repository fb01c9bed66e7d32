package org.peiyu.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.assessment.ItemBank;
import org.peiyu.credit.CreditLedger;
import org.peiyu.credit.RuleSets;
import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.Teachers;
import org.peiyu.directory.Unit;
import org.peiyu.lrs.LearningFact.Category;
import org.peiyu.lrs.LearningFact.Level;
import org.peiyu.platform.files.Pdf;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.security.Role;
import org.peiyu.platform.security.Scope;
import org.peiyu.platform.web.BadInputException;
import org.peiyu.platform.web.NavigationEntry;
import org.peiyu.platform.web.NotFoundException;
import org.springframework.context.MessageSource;
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

/** Programmes for their organisers, training for teachers, and the public check of a certificate. */
@Controller
class TrainingWeb {

    private final Programs programs;
    private final Enrolments enrolments;
    private final Coursework coursework;
    private final ItemBank bank;
    private final RuleSets ruleSets;
    private final Teachers teachers;
    private final DirectoryTree tree;
    private final MessageSource messages;

    TrainingWeb(Programs programs, Enrolments enrolments, Coursework coursework, ItemBank bank, RuleSets ruleSets,
                Teachers teachers, DirectoryTree tree, MessageSource messages) {
        this.ruleSets = ruleSets;
        this.coursework = coursework;
        this.bank = bank;
        this.tree = tree;
        this.programs = programs;
        this.enrolments = enrolments;
        this.teachers = teachers;
        this.messages = messages;
    }

    // ---- organisers ----------------------------------------------------------------------------------------------

    @GetMapping("/training/programs")
    String list(Model model) {
        model.addAttribute("programs", programs.list(CurrentUser.adminScope()));
        model.addAttribute("levels", Level.values());
        model.addAttribute("deliveries", Programs.Delivery.values());
        return "training/programs";
    }

    @PostMapping("/training/programs")
    String create(@RequestParam(required = false) String unitCode, @RequestParam(required = false) String code,
                  @RequestParam(required = false) String title, @RequestParam(required = false) Level level,
                  @RequestParam(required = false) String organiser,
                  @RequestParam(required = false) Programs.Delivery delivery,
                  @RequestParam(required = false) Integer capacity,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate enrolOpens,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate enrolCloses,
                  Model model) {
        try {
            long id = programs.create(new Programs.ProgramForm(unitCode, code, title, level, organiser, delivery,
                    capacity, enrolOpens, enrolCloses), CurrentUser.adminScope(), CurrentUser.get().getUsername());
            return "redirect:/training/programs/" + id;
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return list(model);
        }
    }

    @GetMapping("/training/programs/{id}")
    String program(@PathVariable long id, Model model) {
        Scope scope = CurrentUser.adminScope();
        Programs.Program program = programs.get(id, scope);
        model.addAttribute("program", program);
        List<Programs.Course> courses = programs.courses(id);
        model.addAttribute("courses", courses);
        model.addAttribute("courseTitles", courses.stream().collect(Collectors.toMap(
                Programs.Course::id, Programs.Course::title)));
        model.addAttribute("sessions", programs.sessions(id));
        model.addAttribute("participants", enrolments.participants(id, scope));
        model.addAttribute("work", coursework.ofProgram(id, scope));
        model.addAttribute("instruments", bank.instruments());
        model.addAttribute("topics", ruleSets.applicable(program.unitPath(), LocalDate.now(CreditLedger.ZONE)).rules()
                .topics());
        model.addAttribute("categories", Category.values());
        return "training/program";
    }

    @PostMapping("/training/programs/{id}/courses")
    String addCourse(@PathVariable long id, @RequestParam(required = false) String code,
                     @RequestParam(required = false) String title, @RequestParam(required = false) Category category,
                     @RequestParam(required = false) BigDecimal theoryHours,
                     @RequestParam(required = false) BigDecimal practiceHours,
                     @RequestParam(required = false) BigDecimal onlineHours,
                     @RequestParam(required = false) String topic,
                     @RequestParam(required = false) Integer minAttendance,
                     @RequestParam(defaultValue = "false") boolean needsAssignment,
                     @RequestParam(required = false) String assignmentBrief,
                     @RequestParam(required = false) Integer minScore,
                     @RequestParam(required = false) Long testInstrumentId,
                     @RequestParam(required = false) Integer testAttempts, Model model) {
        return act(id, model, () -> programs.addCourse(id, new Programs.CourseForm(code, title, category, theoryHours,
                practiceHours, onlineHours, topic, minAttendance, needsAssignment, assignmentBrief, minScore,
                testInstrumentId, testAttempts), CurrentUser.adminScope()));
    }

    @PostMapping("/training/courses/{course}/grades")
    String grade(@PathVariable long course, @RequestParam long program, @RequestParam long teacher,
                 @RequestParam(required = false) Coursework.Grade grade, @RequestParam(required = false) String comment,
                 Model model) {
        return act(program, model, () -> coursework.grade(course, teacher, grade, comment, CurrentUser.adminScope(),
                CurrentUser.get().getUsername()));
    }

    @GetMapping("/training/courses/{course}/submissions/{teacher}")
    void submissionFile(@PathVariable long course, @PathVariable long teacher, HttpServletResponse response)
            throws IOException {
        send(coursework.file(course, teacher, CurrentUser.adminScope()), response);
    }

    private static void send(Coursework.FileContent f, HttpServletResponse response) throws IOException {
        response.setContentType(f.contentType());
        response.setHeader("Content-Disposition", ContentDisposition.attachment()
                .filename(f.fileName(), StandardCharsets.UTF_8).build().toString());
        response.getOutputStream().write(f.content());
    }

    @PostMapping("/training/courses/{course}/results")
    String result(@PathVariable long course, @RequestParam long program, @RequestParam long teacher,
                  @RequestParam(defaultValue = "false") boolean assignment,
                  @RequestParam(required = false) BigDecimal score, Model model) {
        return act(program, model, () -> enrolments.recordResult(course, teacher, assignment, score,
                CurrentUser.adminScope(), CurrentUser.get().getUsername()));
    }

    @PostMapping("/training/courses/{course}/sessions")
    String addSession(@PathVariable long course, @RequestParam long program,
                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                      LocalDateTime startsAt,
                      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                      LocalDateTime endsAt, Model model) {
        return act(program, model, () -> programs.addSession(course, at(startsAt), at(endsAt),
                CurrentUser.adminScope()));
    }

    /** Assigns teachers by ID-card number, one per line. */
    @PostMapping("/training/programs/{id}/assignments")
    String assign(@PathVariable long id, @RequestParam(required = false) String idCards, Model model) {
        return act(id, model, () -> {
            String[] lines = (idCards == null ? "" : idCards).split("\\R");
            Map<String, Long> found = teachers.idsByIdCards(Arrays.stream(lines)
                    .filter(l -> !l.isBlank()).map(String::strip).toList());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    Long teacher = found.get(lines[i].strip());
                    if (teacher == null) {
                        throw new BadInputException("idCards", "training.error.idCardLine", i + 1);
                    }
                    ids.add(teacher);
                }
            }
            if (ids.isEmpty()) {
                throw new BadInputException("idCards", "error.required");
            }
            enrolments.assign(id, ids, CurrentUser.adminScope(), CurrentUser.get().getUsername());
        });
    }

    /** Assigns every active teacher of a unit (optionally of one subject) under the programme's unit. */
    @PostMapping("/training/programs/{id}/unit-assignments")
    String assignUnit(@PathVariable long id, @RequestParam(required = false) String unitCode,
                      @RequestParam(required = false) String subject, Model model) {
        return act(id, model, () -> {
            Scope scope = CurrentUser.adminScope();
            String path = unitCode == null || unitCode.isBlank() ? null : tree.unit(unitCode.strip())
                    .map(Unit::path).filter(scope::covers).orElse(null);
            if (path == null) {
                throw new BadInputException("unitCode", "account.error.unit");
            }
            List<Long> ids = new ArrayList<>();
            teachers.population(path, null, subject, scope, m -> ids.add(m.teacherId()));
            if (ids.isEmpty()) {
                throw new BadInputException("unitCode", "training.error.noTeachers");
            }
            enrolments.assign(id, ids, scope, CurrentUser.get().getUsername());
        });
    }

    @PostMapping("/training/sessions/{session}/attendance")
    String record(@PathVariable long session, @RequestParam long program,
                  @RequestParam(required = false) List<Long> teacher, Model model) {
        return act(program, model, () -> enrolments.record(session, teacher == null ? List.of() : teacher,
                CurrentUser.adminScope()));
    }

    @PostMapping("/training/sessions/{session}/sheet")
    String sheet(@PathVariable long session, @RequestParam long program,
                 @RequestParam(required = false) MultipartFile file, Model model) {
        return act(program, model, () -> {
            if (file == null || file.isEmpty()) {
                throw new BadInputException("file", "file.error.empty");
            }
            try (InputStream in = file.getInputStream()) {
                enrolments.importAttendance(session, in, CurrentUser.adminScope());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private String act(long programId, Model model, Runnable action) {
        try {
            action.run();
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return program(programId, model);
        }
        return "redirect:/training/programs/" + programId;
    }

    private static OffsetDateTime at(LocalDateTime t) {
        return t == null ? null : t.atZone(CreditLedger.ZONE).toOffsetDateTime();
    }

    // ---- teachers ------------------------------------------------------------------------------------------------

    @GetMapping("/my/training")
    String mine(Model model) {
        long me = CurrentUser.teacherId();
        String path = teachers.paths(List.of(me)).get(me);
        model.addAttribute("open", programs.openTo(path, LocalDate.now(CreditLedger.ZONE)));
        model.addAttribute("enrolments", enrolments.of(me));
        model.addAttribute("work", coursework.of(me));
        model.addAttribute("certificates", enrolments.certificates(me));
        return "training/mine";
    }

    /** A course as its enrolled teacher sees it: where they stand, the assignment to hand in, the test to take. */
    @GetMapping("/my/training/courses/{course}")
    String course(@PathVariable long course, Model model) {
        Coursework.Work w = coursework.of(course, CurrentUser.teacherId());
        model.addAttribute("w", w);
        model.addAttribute("program", programs.find(w.course().programId()).orElseThrow());
        return "training/course";
    }

    @PostMapping("/my/training/courses/{course}/hand-in")
    String handIn(@PathVariable long course, @RequestParam(required = false) String text,
                  @RequestParam(required = false) MultipartFile file, Model model,
                  RedirectAttributes redirect) throws IOException {
        try {
            coursework.handIn(course, CurrentUser.teacherId(), text, file == null ? null : file.getOriginalFilename(),
                    file == null ? null : file.getBytes());
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            model.addAttribute("text", text);
            return course(course, model);
        }
        redirect.addFlashAttribute("notice", "training.handedIn");
        return "redirect:/my/training/courses/" + course;
    }

    @GetMapping("/my/training/courses/{course}/file")
    void ownFile(@PathVariable long course, HttpServletResponse response) throws IOException {
        send(coursework.file(course, CurrentUser.teacherId()), response);
    }

    @GetMapping("/my/training/courses/{course}/test")
    String test(@PathVariable long course, Model model) {
        long me = CurrentUser.teacherId();
        model.addAttribute("w", coursework.of(course, me));
        model.addAttribute("items", coursework.test(course, me));
        model.addAttribute("answers", model.containsAttribute("answers") ? model.getAttribute("answers")
                : Map.of());
        model.addAttribute("english", LocaleContextHolder.getLocale().getLanguage().equals("en"));
        return "training/test";
    }

    @PostMapping("/my/training/courses/{course}/test")
    String takeTest(@PathVariable long course, HttpServletRequest request, Model model,
                    RedirectAttributes redirect) {
        try {
            Map<Long, List<String>> answers = ItemBank.answers(request.getParameterMap());
            model.addAttribute("answers", answers);
            Coursework.Attempt a = coursework.takeTest(course, CurrentUser.teacherId(), answers);
            redirect.addFlashAttribute("notice", a.certificate().isPresent() ? "training.testCompleted"
                    : a.passed() ? "training.testPassed" : "training.testFailed");
            redirect.addFlashAttribute("noticeArgs", new Object[] {a.score().toPlainString(), a.attemptsLeft()});
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return "test".equals(e.field()) ? course(course, model) : test(course, model); // no attempt, or a wrong sheet
        }
        return "redirect:/my/training/courses/" + course;
    }

    @PostMapping("/my/training/{program}/enrol")
    String enrol(@PathVariable long program, Model model, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("notice", "training.enrolled." + enrolments.enrol(program,
                    CurrentUser.teacherId()));
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return mine(model);
        }
        return "redirect:/my/training";
    }

    @PostMapping("/my/training/{program}/withdraw")
    String withdraw(@PathVariable long program) {
        enrolments.withdraw(program, CurrentUser.teacherId());
        return "redirect:/my/training";
    }

    @PostMapping("/my/training/sign-in")
    String signIn(@RequestParam(required = false) String code, Model model, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("notice", enrolments.signIn(code, CurrentUser.teacherId()).isPresent()
                    ? "training.signedInCompleted" : "training.signedIn");
        } catch (BadInputException e) {
            model.addAttribute("problems", e.problems());
            return mine(model);
        }
        return "redirect:/my/training";
    }

    @GetMapping("/my/training/certificates/{code}.pdf")
    void certificatePdf(@PathVariable String code, HttpServletResponse response) throws IOException {
        Enrolments.Certificate c = enrolments.certificate(code).filter(x -> x.teacherId() == CurrentUser.teacherId())
                .orElseThrow(NotFoundException::new);
        Locale l = LocaleContextHolder.getLocale();
        Pdf pdf = new Pdf();
        String title = m("training.certificate.title", l);
        pdf.text((Pdf.WIDTH - Pdf.width(title, 26)) / 2, 150, 26, title);
        pdf.text(90, 240, 14, messages.getMessage("training.certificate.body1", new Object[] {c.teacherName(),
                c.completedOn().toString()}, l));
        pdf.text(90, 270, 14, Pdf.fit(c.programTitle() + " · " + c.courseTitle(), 14, Pdf.WIDTH - 180));
        pdf.text(90, 300, 14, messages.getMessage("training.certificate.body2", new Object[] {
                c.hours().stripTrailingZeros().toPlainString()}, l));
        pdf.text(330, 420, 14, c.organiser());
        pdf.text(330, 445, 12, c.completedOn().toString());
        pdf.line(90, 700, Pdf.WIDTH - 90, 700);
        pdf.text(90, 725, 10, messages.getMessage("training.certificate.verify", new Object[] {c.code()}, l));
        response.setContentType("application/pdf");
        response.setHeader("Content-Disposition", "attachment; filename=\"certificate-" + c.code() + ".pdf\"");
        response.getOutputStream().write(pdf.toBytes());
    }

    // ---- anyone --------------------------------------------------------------------------------------------------

    /** The public check of a certificate: what it certifies, the holder's name masked. */
    @GetMapping({"/verify", "/verify/{code}"})
    String verify(@PathVariable(required = false) String code, @RequestParam(name = "code", required = false)
    String asked, Model model, HttpServletResponse response) {
        String c = code != null ? code : asked;
        model.addAttribute("code", c);
        if (c != null && !c.isBlank()) {
            Enrolments.Certificate found = enrolments.certificate(c.strip().toUpperCase(Locale.ROOT)).orElse(null);
            if (found == null) {
                response.setStatus(404);
            }
            model.addAttribute("certificate", found);
            model.addAttribute("holder", found == null ? null : mask(found.teacherName()));
        }
        return "training/verify";
    }

    /** 张三丰 → 张*丰, 李四 → 李*. */
    static String mask(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        int n = name.codePointCount(0, name.length());
        String first = name.substring(0, name.offsetByCodePoints(0, 1));
        String last = n > 2 ? name.substring(name.offsetByCodePoints(0, n - 1)) : "";
        return first + "*".repeat(Math.max(1, n - (n > 2 ? 2 : 1))) + last;
    }

    private String m(String key, Locale l) {
        return messages.getMessage(key, null, key, l);
    }

    @Configuration(proxyBeanMethods = false)
    static class Navigation {
        @Bean
        NavigationEntry programsNavigation() {
            return new NavigationEntry("nav.programs", "/training/programs", Role.ADMINS, 54);
        }

        @Bean
        NavigationEntry myTrainingNavigation() {
            return new NavigationEntry("nav.myTraining", "/my/training", EnumSet.of(Role.TEACHER), 3);
        }
    }
}
