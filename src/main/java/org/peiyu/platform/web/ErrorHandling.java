package org.peiyu.platform.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Turns the platform's exceptions into answers: a translated problem document for the API, an error page for the UI.
 * Nothing internal (stack traces, SQL) is ever echoed.
 */
@RestControllerAdvice
class ErrorHandling {

    private final MessageSource messages;

    ErrorHandling(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(NotFoundException.class)
    Object notFound(HttpServletRequest request, HttpServletResponse response) {
        return answer(request, response, HttpStatus.NOT_FOUND, msg("error.notFound"), null);
    }

    @ExceptionHandler(BadInputException.class)
    Object badInput(BadInputException e, HttpServletRequest request, HttpServletResponse response) {
        Object answer = answer(request, response, HttpStatus.BAD_REQUEST, msg(e.messageKey(), e.args()), e.field());
        if (answer instanceof ResponseEntity<?> entity && entity.getBody() instanceof ProblemDetail problem) {
            problem.setProperty("errors", e.problems().stream()
                    .map(p -> Map.of("field", p.field(), "message", msg(p.messageKey(), p.args())))
                    .toList());
        }
        return answer;
    }

    /** A query or form value of the wrong type (a page that is not a number, an unknown filter value). */
    @ExceptionHandler({BindException.class, MethodArgumentTypeMismatchException.class})
    Object badParameter(Exception e, HttpServletRequest request, HttpServletResponse response) {
        String field = e instanceof BindException b && b.getFieldError() != null ? b.getFieldError().getField()
                : e instanceof MethodArgumentTypeMismatchException m ? m.getName() : "?";
        return answer(request, response, HttpStatus.BAD_REQUEST, msg("error.badParameter", field), field);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    Object unreadable(HttpServletRequest request, HttpServletResponse response) {
        return answer(request, response, HttpStatus.BAD_REQUEST, msg("error.unreadableBody"), null);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    Object tooLarge(HttpServletRequest request, HttpServletResponse response) {
        return answer(request, response, HttpStatus.CONTENT_TOO_LARGE, msg("error.tooLarge"), "file");
    }

    private Object answer(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                          String message, String field) {
        if (isApi(request)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
            if (field != null) {
                problem.setProperty("field", field);
            }
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        response.setStatus(status.value());
        return new ModelAndView("error", Map.of("status", status.value(), "problem", message), status);
    }

    static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    private String msg(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }
}
