package org.peiyu.directory;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.peiyu.platform.security.CurrentUser;
import org.peiyu.platform.web.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The directory over REST for integrations (bearer tokens); the same scope rules as the pages. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "directory", description = "Divisions, schools and teachers in the caller's scope")
class DirectoryApi {

    private final Teachers teachers;
    private final DirectoryTree tree;

    DirectoryApi(Teachers teachers, DirectoryTree tree) {
        this.teachers = teachers;
        this.tree = tree;
    }

    @GetMapping("/divisions")
    @Operation(summary = "Divisions in or above the caller's scope")
    List<Division> divisions() {
        return tree.divisions(CurrentUser.adminScope());
    }

    @GetMapping("/schools")
    @Operation(summary = "Schools in scope, filtered and paged")
    Page<School> schools(@ModelAttribute SchoolQuery query) {
        return tree.schools(query, CurrentUser.adminScope());
    }

    @GetMapping("/schools/{id}")
    School school(@PathVariable long id) {
        return tree.school(id, CurrentUser.adminScope());
    }

    @GetMapping("/teachers")
    @Operation(summary = "Teachers in scope; personal numbers masked")
    Page<TeacherRow> teachers(@ModelAttribute TeacherQuery query) {
        return teachers.search(query, CurrentUser.adminScope());
    }

    @GetMapping("/teachers/{id}")
    @Operation(summary = "One teacher: in scope, or the caller's own record")
    TeacherDetail teacher(@PathVariable long id) {
        return teachers.get(id, CurrentUser.scope());
    }

    @PostMapping("/teachers")
    ResponseEntity<TeacherDetail> create(@RequestBody TeacherInput input) {
        long id = teachers.create(input, CurrentUser.adminScope());
        return ResponseEntity.created(URI.create("/api/v1/teachers/" + id)).body(teachers.get(id, CurrentUser.adminScope()));
    }

    @PutMapping("/teachers/{id}")
    TeacherDetail update(@PathVariable long id, @RequestBody TeacherInput input) {
        teachers.update(id, input, CurrentUser.adminScope());
        return teachers.get(id, CurrentUser.adminScope());
    }

    /** A move to another school in scope. */
    record TransferRequest(Long toSchoolId, String reason) {
    }

    @PostMapping("/teachers/{id}/transfer")
    TeacherDetail transfer(@PathVariable long id, @RequestBody TransferRequest request) {
        if (request.toSchoolId() == null) {
            throw new org.peiyu.platform.web.BadInputException("toSchoolId", "error.required");
        }
        teachers.transfer(id, request.toSchoolId(), request.reason(), CurrentUser.adminScope());
        return teachers.get(id, CurrentUser.adminScope());
    }

}
