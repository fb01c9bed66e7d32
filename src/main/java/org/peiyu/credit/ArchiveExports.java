package org.peiyu.credit;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import org.peiyu.directory.Teachers;
import org.peiyu.platform.audit.AuditLog;
import org.peiyu.platform.files.Pdf;
import org.peiyu.platform.files.XlsxExport;
import org.peiyu.platform.security.Scope;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * A teacher's archive of one cycle as a file: .xlsx (the standing per requirement, then every entry) or a PDF to print
 * and file (the same, laid out on A4 pages). Every export is audited.
 */
@Component
class ArchiveExports {

    private static final float LEFT = 50;
    private static final float BOTTOM = 790;
    /** Columns of the entries table on the PDF: date, training, hours, category, level, source. */
    private static final float[] COLUMNS = {50, 120, 330, 370, 450, 500};

    private final CreditLedger ledger;
    private final Compliance compliance;
    private final Teachers teachers;
    private final MessageSource messages;
    private final AuditLog audit;

    ArchiveExports(CreditLedger ledger, Compliance compliance, Teachers teachers, MessageSource messages,
                   AuditLog audit) {
        this.ledger = ledger;
        this.compliance = compliance;
        this.teachers = teachers;
        this.messages = messages;
        this.audit = audit;
    }

    /** Writes the archive of the cycle containing {@code day}, of a teacher the user sees, as PDF or .xlsx. */
    void write(long teacherId, Scope scope, LocalDate day, boolean pdf, Locale locale, HttpServletResponse response)
            throws IOException {
        String path = compliance.pathIfVisible(teacherId, scope);
        Compliance.Judged judged = compliance.judge(teacherId, path, day);
        Standing s = judged.standing();
        List<CreditLedger.Entry> entries = ledger.entries(teacherId, s.cycleStart(), s.cycleEnd());
        String file = "credits-" + s.cycleStart().getYear() + "-" + s.cycleEnd().getYear();
        if (pdf) {
            byte[] bytes = pdf(teachers.names(List.of(teacherId)).get(teacherId), judged, entries, locale);
            response.setContentType("application/pdf");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + file + ".pdf\"");
            response.getOutputStream().write(bytes);
        } else {
            xlsx(judged, entries, locale, XlsxExport.attachment(response, file + ".xlsx"));
        }
        audit.record("credit.export", "teacher", teacherId, path, entries.size() + " entries"
                + (pdf ? " (PDF)" : " (xlsx)"));
    }

    private void xlsx(Compliance.Judged judged, List<CreditLedger.Entry> entries, Locale locale,
                      java.io.OutputStream out) throws IOException {
        Standing s = judged.standing();
        try (XlsxExport x = new XlsxExport(out, m("nav.myCredits", locale), List.of(m("credit.occurred", locale),
                m("credit.activity", locale), m("field.hours", locale), m("field.category", locale),
                m("field.level", locale), m("credit.mode", locale), m("credit.source", locale),
                m("credit.reasonColumn", locale)))) {
            for (Standing.Line l : s.lines()) {
                x.row(List.of(s.cycleStart() + " – " + s.cycleEnd(), label(l, locale),
                        l.earned() + " / " + l.required() + " " + m("credit.measure." + l.measure(), locale), "", "",
                        "", m("credit.status." + l.status(), locale), ""));
            }
            for (CreditLedger.Entry e : entries) {
                x.row(Arrays.asList(e.occurred().toString(), e.title(), e.hours(), category(e, judged, locale),
                        level(e, locale), m("credit.mode." + e.mode(), locale), m("credit.source." + e.source(), locale),
                        reason(e, locale)));
            }
        }
    }

    private byte[] pdf(String name, Compliance.Judged judged, List<CreditLedger.Entry> entries, Locale locale) {
        Standing s = judged.standing();
        Pdf pdf = new Pdf();
        pdf.text(LEFT, 60, 18, m("nav.myCredits", locale) + "  " + (name == null ? "" : name));
        pdf.text(LEFT, 84, 10, judged.ruleSet().name());
        pdf.text(LEFT, 100, 10, messages.getMessage("credit.cycle", new Object[] {s.cycleStart(), s.cycleEnd()},
                locale) + "  " + m("credit.status." + s.status(), locale) + "  " + reason(s, locale));
        float y = 130;
        pdf.text(LEFT, y, 10, m("credit.requirement", locale));
        pdf.text(300, y, 10, m("credit.earned", locale) + " / " + m("credit.required", locale));
        pdf.text(450, y, 10, m("credit.statusColumn", locale));
        pdf.line(LEFT, y + 5, Pdf.WIDTH - LEFT, y + 5);
        for (Standing.Line l : s.lines()) {
            y += 16;
            pdf.text(LEFT, y, 10, Pdf.fit(label(l, locale), 10, 240));
            pdf.text(300, y, 10, l.earned().toPlainString() + " / " + l.required().toPlainString() + " "
                    + m("credit.measure." + l.measure(), locale));
            pdf.text(450, y, 10, m("credit.status." + l.status(), locale));
        }
        y += 34;
        pdf.text(LEFT, y, 12, m("credit.entries", locale));
        y = header(pdf, y + 20, locale);
        for (CreditLedger.Entry e : entries) {
            if (y > BOTTOM) {
                pdf.newPage();
                y = header(pdf, 60, locale);
            }
            y += 15;
            String[] cells = {e.occurred().toString(), e.title() + (e.reverses() != null ? " "
                    + messages.getMessage("credit.reverses", new Object[] {e.reverses()}, locale) : ""),
                    e.hours().toPlainString(), category(e, judged, locale), level(e, locale),
                    m("credit.source." + e.source(), locale)};
            for (int c = 0; c < cells.length; c++) {
                float room = (c + 1 < COLUMNS.length ? COLUMNS[c + 1] : Pdf.WIDTH - LEFT + 10) - COLUMNS[c] - 8;
                pdf.text(COLUMNS[c], y, 9, Pdf.fit(cells[c], 9, room));
            }
        }
        if (entries.isEmpty()) {
            pdf.text(LEFT, y + 15, 9, m("credit.noEntries", locale));
        }
        return pdf.toBytes();
    }

    private float header(Pdf pdf, float y, Locale locale) {
        String[] heads = {"credit.occurred", "credit.activity", "field.hours", "field.category", "field.level",
                "credit.source"};
        for (int c = 0; c < heads.length; c++) {
            pdf.text(COLUMNS[c], y, 9, m(heads[c], locale));
        }
        pdf.line(LEFT, y + 4, Pdf.WIDTH - LEFT, y + 4);
        return y + 2;
    }

    private String reason(Standing s, Locale locale) {
        Standing.Line worst = s.worst();
        return worst == null ? m("credit.reason.met", locale) : messages.getMessage("credit.reason.gap",
                new Object[] {label(worst, locale), worst.gap().toPlainString(),
                        m("credit.measure." + worst.measure(), locale), s.monthsLeft()}, locale);
    }

    private String label(Standing.Line l, Locale locale) {
        return l.label() == null ? m("credit.line.total." + l.measure(), locale)
                : "en".equals(locale.getLanguage()) ? l.labelEn() : l.label();
    }

    /** The category, and the topic (by the rule set's label) where the entry names one. */
    private String category(CreditLedger.Entry e, Compliance.Judged judged, Locale locale) {
        String category = m(e.category() == null ? "lrs.category.none" : "lrs.category." + e.category(), locale);
        return e.topic() == null ? category : category + " · " + judged.ruleSet().rules().topic(e.topic())
                .map(t -> t.label("en".equals(locale.getLanguage()))).orElse(e.topic());
    }

    private String level(CreditLedger.Entry e, Locale locale) {
        return m(e.level() == null ? "lrs.level.none" : "lrs.level." + e.level(), locale);
    }

    private String reason(CreditLedger.Entry e, Locale locale) {
        return e.reason() == null ? null : e.reason().startsWith("credit.") ? m(e.reason(), locale) : e.reason();
    }

    private String m(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }
}
