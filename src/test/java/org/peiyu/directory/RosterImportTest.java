package org.peiyu.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.peiyu.PlatformTest;
import org.peiyu.platform.files.TableFile;
import org.peiyu.platform.security.PeiyuUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class RosterImportTest extends PlatformTest {

    private static final String HEADER = "姓名,身份证号,性别,手机号,工号,学校标识码,任教学科,职称,从教日期\n";
    private static final String SCHOOL = "3990101001";

    @Autowired
    RosterImport imports;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Teachers teachers;

    static String id(String birth, int seq) {
        String body = "990101" + birth + String.format("%03d", seq);
        return body + IdCardNumber.checkChar(body);
    }

    private RosterImport.Job run(String csv, Charset charset, String user) throws Exception {
        PeiyuUser u = account(user);
        return imports.importNow(RosterImport.Kind.TEACHERS, "t.csv", new ByteArrayInputStream(csv.getBytes(charset)),
                u.accountId(), u.scope());
    }

    private List<String> problems(long jobId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        imports.errorReport(jobId, account("sysadmin"), Locale.SIMPLIFIED_CHINESE, out);
        List<String> lines = new ArrayList<>();
        TableFile.read(new ByteArrayInputStream(out.toByteArray()), (n, cells) -> lines.add(String.join("|", cells)));
        return lines.subList(1, lines.size());
    }

    @Test
    void eachRowProblemIsReportedAndOnlyValidRowsAreImported() throws Exception {
        String good = id("19880512", 101);
        String csv = HEADER
                + "王小明," + good + ",男,13800001111,X101," + SCHOOL + ",数学,一级教师,2010/9/1\n"
                + "　李　红 ,１１０１０５１９４９１２３１００２Ｘ,女,,X102,9999999999,语文,,\n" // unknown school
                + "赵六,110105194912310021,男,,X103," + SCHOOL + ",语文,,\n" // checksum
                + "钱七," + good + ",男,,X104," + SCHOOL + ",语文,,\n" // duplicate of row 2
                + "孙八," + id("19900101", 203) + ",男,12345,X105," + SCHOOL + ",语文,教授,昨天\n" // phone, title, date
                + "周九," + id("19920202", 302) + ",女,,X106," + SCHOOL + ",英语,二级,40422\n" // Excel serial date
                + ",110105194913310028,女,,X107," + SCHOOL + ",语文,,\n" // no name; impossible birth date
                + ",,,,,,,,\n"; // blank row: skipped
        RosterImport.Job job = run(csv, StandardCharsets.UTF_8, "school");
        assertThat(job.status()).isEqualTo("DONE");
        assertThat(job.totalRows()).isEqualTo(7);
        assertThat(job.errorRows()).isEqualTo(5);
        assertThat(job.inserted()).isEqualTo(2);
        List<String> p = problems(job.id());
        assertThat(p).contains("3|学校标识码|学校“9999999999”不存在或不在您的管理范围内。",
                "4|身份证号|身份证号校验位不正确，请核对。",
                "5|身份证号|与文件第 2 行重复。",
                "6|手机号|手机号应为 11 位手机号或带区号的固定电话。",
                "6|职称|无法识别的取值“教授”。",
                "6|从教日期|无法识别的日期“昨天”，请写成 1985-03-02。",
                "8|姓名|必填。",
                "8|身份证号|身份证号中的出生日期无效。");
        long id = teachers.idByIdCard(id("19920202", 302)).orElseThrow();
        assertThat(teachers.get(id, account("sysadmin").scope()).teachingSince()).hasToString("2010-09-01");
    }

    @Test
    void reimportingTheSameFileChangesNothingAndGbkIsRead() throws Exception {
        String csv = HEADER + "吴一," + id("19850302", 401) + ",男,,Y201," + SCHOOL + ",物理,高级,2008-09\n"
                + "郑二," + id("19870403", 502) + ",女,,Y202," + SCHOOL + ",化学,一级,2009-09\n";
        RosterImport.Job first = run(csv, Charset.forName("GBK"), "district");
        assertThat(first.inserted()).isEqualTo(2);
        long before = jdbc.sql("SELECT count(*) FROM teacher_transfer").query(Long.class).single();
        RosterImport.Job second = run(csv, Charset.forName("GBK"), "district");
        assertThat(second.inserted()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(2);
        // a change of school in the roster is a transfer, and is kept in the history
        RosterImport.Job moved = run(csv.replace("Y202," + SCHOOL, "Y202,3990101002"), StandardCharsets.UTF_8,
                "district");
        assertThat(moved.updated()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM teacher_transfer").query(Long.class).single()).isEqualTo(before + 1);
    }

    @Test
    void theTeachingGroupColumnIsReadAndUpdated() throws Exception {
        String id = id("19930303", 911);
        String csv = "姓名,身份证号,学校标识码,教研组\n教研甲," + id + "," + SCHOOL + ",数学组\n";
        assertThat(run(csv, StandardCharsets.UTF_8, "school").inserted()).isEqualTo(1);
        long teacher = teachers.idByIdCard(id).orElseThrow();
        assertThat(teachers.get(teacher, account("school").scope()).teachingGroup()).isEqualTo("数学组");
        assertThat(run(csv.replace("数学组", "理科组"), StandardCharsets.UTF_8, "school").updated()).isEqualTo(1);
        assertThat(teachers.get(teacher, account("school").scope()).teachingGroup()).isEqualTo("理科组");
        RosterImport.Job tooLong = run(csv.replace("数学组", "组".repeat(51)), StandardCharsets.UTF_8, "school");
        assertThat(tooLong.errorRows()).isEqualTo(1);
        assertThat(problems(tooLong.id())).containsExactly("2|教研组|不能超过 50 个字。");
        assertThat(teachers.get(teacher, account("school").scope()).teachingGroup()).isEqualTo("理科组");
    }

    /** The head counts kept by triggers always equal a count of the teachers themselves, whatever happened before. */
    @Test
    void headCountsAgreeWithTheTeachers() {
        var kept = jdbc.sql("SELECT school_id, status, teachers FROM school_headcount WHERE teachers <> 0 "
                + "ORDER BY 1, 2").query((rs, n) -> rs.getLong(1) + "/" + rs.getString(2) + "=" + rs.getLong(3)).list();
        var counted = jdbc.sql("SELECT school_id, status, count(*) FROM teacher GROUP BY 1, 2 ORDER BY 1, 2")
                .query((rs, n) -> rs.getLong(1) + "/" + rs.getString(2) + "=" + rs.getLong(3)).list();
        assertThat(kept).isNotEmpty().isEqualTo(counted);
    }

    @Test
    void aSchoolAdminCannotImportIntoAnotherSchoolNorTakeOverATeacherOutsideScope() throws Exception {
        String outside = id("19800101", 601);
        run(HEADER + "外校甲," + outside + ",男,,Z1,3990102001,语文,,\n", StandardCharsets.UTF_8, "sysadmin");
        RosterImport.Job job = run(HEADER + "外校甲," + outside + ",男,,Z9," + SCHOOL + ",语文,,\n"
                + "外校乙," + id("19800101", 603) + ",男,,Z2,3990102001,语文,,\n", StandardCharsets.UTF_8, "school");
        assertThat(job.errorRows()).isEqualTo(2);
        assertThat(job.inserted() + job.updated()).isZero();
        assertThat(problems(job.id())).anyMatch(l -> l.startsWith("2|身份证号|该身份证号的教师已在平台中登记"));
    }

    @Test
    void aFileWithoutRequiredColumnsOrRowsFailsWithTheReason() throws Exception {
        RosterImport.Job noColumn = run("姓名,性别\n张三,男\n", StandardCharsets.UTF_8, "school");
        assertThat(noColumn.status()).isEqualTo("FAILED");
        assertThat(noColumn.failureKey()).isEqualTo("import.error.missingColumn");
        assertThat(noColumn.failureArg()).isEqualTo("idCard");
        RosterImport.Job empty = run(",,\n", StandardCharsets.UTF_8, "school");
        assertThat(empty.failureKey()).isEqualTo("import.error.noRows");
    }

    @Test
    void aLargeFileStreams() throws Exception {
        StringBuilder sb = new StringBuilder(HEADER);
        int n = 0;
        while (sb.length() < 10_500_000) {
            sb.append("批量").append(",").append(id("19700101", n % 1000).substring(0, 0)).append("110105194912310021")
                    .append(",男,,B").append(n).append(",").append(SCHOOL).append(",语文,,").append("x".repeat(60))
                    .append('\n');
            n++;
        }
        RosterImport.Job job = run(sb.toString(), StandardCharsets.UTF_8, "school");
        assertThat(job.status()).isEqualTo("DONE");
        assertThat(job.totalRows()).isEqualTo(n);
        assertThat(job.errorRows()).isEqualTo(n); // every row has the bad checksum; none half-written
        assertThat(job.inserted()).isZero();
    }
}
