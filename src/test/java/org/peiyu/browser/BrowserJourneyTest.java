package org.peiyu.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.peiyu.PlatformTest;
import org.peiyu.directory.IdCardNumber;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The main journey in a real browser (Debian's chromium): sign in, import a roster, find the teacher in the list,
 * open their record. Skipped only on a developer machine without chromium; under CI a missing browser fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserJourneyTest extends PlatformTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void startBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the browser tests: install chromium and chromium-driver");
        }
        assumeTrue(present, "chromium not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1366,900", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // htmx swaps parts of the page while we watch them
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void signIn(String username) {
        browser.manage().deleteAllCookies();
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys("peiyu2026");
        browser.findElement(By.cssSelector("form.form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));
    }

    @Test
    void signInImportListAndOpenATeacher() throws Exception {
        signIn("school");
        String body = "99010119860715" + "123";
        String idCard = body + IdCardNumber.checkChar(body);
        Path csv = Files.createTempFile("roster", ".csv");
        Files.writeString(csv, "姓名,身份证号,工号,学校标识码,任教学科,职称\n"
                + "浏览器测试甲," + idCard + ",W001,3990101001,信息科技,一级教师\n"
                + "浏览器测试乙,123,W002,3990101001,语文,\n", StandardCharsets.UTF_8);

        browser.get(url("/imports"));
        browser.findElement(By.id("file")).sendKeys(csv.toString());
        browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        // htmx polls the job until it is checked
        wait.until(ExpectedConditions.attributeToBe(By.id("job-status"), "data-status", "READY"));
        assertThat(browser.findElement(By.id("valid-rows")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("error-rows")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("problems-table")).getText()).contains("身份证号应为 18 位");
        browser.findElement(By.id("apply")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("job-status"), "data-status", "DONE"));
        assertThat(browser.findElement(By.id("inserted")).getText()).isEqualTo("1");

        browser.get(url("/teachers"));
        browser.findElement(By.name("text")).sendKeys("浏览器测试");
        // live search swaps the results as the name is typed: wait for the last answer, then open the record
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("results"), "共 1 人"));
        wait.until(driver -> {
            driver.findElement(By.linkText("浏览器测试甲")).click();
            return true;
        });
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("id-card")));
        assertThat(browser.findElement(By.id("id-card")).getText()).isEqualTo("990***********" + idCard.substring(14));
        browser.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.textToBe(By.id("id-card"), idCard));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.assessment.Campaigns campaigns;
    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.assessment.ItemBank bank;

    @Test
    void aTeacherTakesAnAssessmentAndSeesTheRadarChart() {
        long instrument = bank.instruments().stream().filter(org.peiyu.assessment.ItemBank.InstrumentRow::sample)
                .findFirst().orElseThrow().id();
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        long id = campaigns.launch(new org.peiyu.assessment.Campaigns.Form("浏览器测评", instrument, "3990101001",
                java.util.List.of(), null, now.minusHours(1), now.plusDays(1), 60.0, 75.0, 90.0),
                org.peiyu.platform.security.Scope.ALL, "test");
        signIn("teacher");
        browser.get(url("/my/assessments"));
        assertThat(browser.findElement(By.id("my-campaigns")).getText()).contains("浏览器测评");
        browser.get(url("/my/assessments/" + id));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sheet")));
        var questions = browser.findElements(By.cssSelector(".question"));
        assertThat(questions).hasSizeGreaterThanOrEqualTo(33);
        questions.get(0).findElements(By.tagName("input")).get(3).click();
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saved"), "已于"));
        browser.navigate().refresh(); // resume: the saved answer is there
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sheet")));
        assertThat(browser.findElements(By.cssSelector(".question")).get(0).findElements(By.tagName("input")).get(3)
                .isSelected()).isTrue();
        for (var q : browser.findElements(By.cssSelector(".question"))) {
            var inputs = q.findElements(By.tagName("input"));
            if (inputs.stream().noneMatch(org.openqa.selenium.WebElement::isSelected)) {
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()", inputs.get(0));
            }
        }
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()",
                browser.findElement(By.id("submit")));
        wait.until(ExpectedConditions.urlToBe(url("/my/assessments/" + id + "/result")));
        wait.until(ExpectedConditions.attributeToBe(By.id("radar"), "data-rendered", "true"));
        assertThat(browser.findElement(By.id("radar")).findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("total")).getText()).matches("\\d+(\\.\\d)?");
        assertThat(browser.findElement(By.id("result-tree")).getText()).contains("1.1.1");
    }

    @Test
    void aTeacherHandsInACoursesAssignmentAndTakesItsTest() {
        signIn("teacher");
        browser.get(url("/my/training"));
        browser.findElement(By.linkText("基于数据的教学评价设计")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hand-in")));
        assertThat(browser.findElement(By.id("assignment")).getText()).contains("用课堂数据");
        browser.findElement(By.name("text")).sendKeys("评价目标：学生能用数据说明学习变化。数据来源：课堂练习与小测。");
        browser.findElement(By.cssSelector("#hand-in button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "作业已提交"));
        assertThat(browser.findElement(By.id("req-assignment")).getText()).contains("待评定");
        assertThat(browser.findElements(By.id("hand-in"))).isEmpty(); // not again until graded

        browser.findElement(By.id("take-test")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sheet")));
        for (var q : browser.findElements(By.cssSelector(".question"))) {
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()",
                    q.findElements(By.tagName("input")).get(0));
        }
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()",
                browser.findElement(By.id("submit")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "本次得分"));
        assertThat(browser.findElement(By.id("test")).getText()).contains("已考 1 / 2 次");
        assertThat(browser.findElement(By.id("req-test")).getText()).doesNotContain("未考");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.assessment.EvidenceReview review;
    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.directory.Teachers teachers;
    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.assessment.Rubrics rubrics;

    @Test
    void aReviewerGradesEvidence() {
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        long roundId = review.createRound("浏览器考核", "3990101001", now.minusDays(1), now.plusDays(5), 1, 1, false,
                org.peiyu.platform.security.Scope.ALL, "test");
        var me = teachers.get(account("teacher").teacherId(), org.peiyu.platform.security.Scope.ALL);
        long sid = review.mine(roundId, me.id(), me.name(), me.path()).id();
        java.util.UUID point = review.points(review.round(roundId)).get(0).identifier();
        review.choose(sid, me.id(), java.util.List.of(point));
        var rubric = rubrics.inForce(me.path()).get(point);
        for (var form : rubric.forms()) {
            review.upload(sid, me.id(), point, form, form + ".pdf",
                    ("%PDF-1.4 browser " + sid + form).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        review.submit(sid, me.id());
        review.assign(sid, account("reviewer").accountId(), org.peiyu.platform.security.Scope.ALL, "test");

        signIn("reviewer");
        browser.get(url("/reviews"));
        browser.findElement(By.cssSelector("a[href='/reviews/" + sid + "']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".grade-form")));
        // the point's rubric is in view while grading
        assertThat(browser.findElement(By.cssSelector(".rubric")).getText())
                .contains(rubric.criteria().get(0).excellent());
        int pieces = rubric.forms().size();
        for (int i = 0; i < pieces; i++) { // each piece of evidence gets its grade; the page comes back after each
            var form = browser.findElements(By.cssSelector(".grade-form")).get(i);
            new org.openqa.selenium.support.ui.Select(form.findElement(By.name("grade"))).selectByValue("PASS");
            form.findElement(By.name("comment")).sendKeys("设计完整，可补充学情数据");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.stalenessOf(form));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "已评定"));
        }
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("已评定");
        assertThat(browser.getPageSource()).contains("设计完整，可补充学情数据");
    }

    @Test
    void englishIsCompleteAndSwitchable() {
        signIn("district");
        browser.get(url("/teachers?lang=en"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Teachers");
        assertThat(browser.getPageSource()).doesNotContain("??");
        browser.get(url("/teachers?lang=zh_CN"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("教师");
    }

    @Test
    void aDistrictAdminMapsAPlatformsVerbToHoursAndATeacherSeesThem() throws Exception {
        signIn("district");
        browser.get(url("/lrs/rules"));
        browser.findElement(By.id("new-rule")).click();
        var form = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rule")));
        form.findElement(By.name("unitCode")).sendKeys("990101");
        form.findElement(By.name("position")).clear();
        form.findElement(By.name("position")).sendKeys("1");
        form.findElement(By.name("verb")).sendKeys("https://browser.test/verbs/watched");
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("hoursFrom"))).selectByValue("FIXED");
        form.findElement(By.name("hours")).sendKeys("1.5");
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("category"))).selectByValue("SELF_STUDY");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "规则已保存"));
        assertThat(browser.findElement(By.id("rules")).getText()).contains("https://browser.test/verbs/watched")
                .contains("每条 1.5 学时").contains("自主研修");

        // a platform in the district reports a teacher watching; the teacher finds the hours on their page
        var me = teachers.get(account("teacher").teacherId(), org.peiyu.platform.security.Scope.ALL);
        var platform = clients.create("浏览器直播平台", me.schoolCode(), false, true, null,
                org.peiyu.platform.security.Scope.ALL, "test");
        actors.addMailbox(me.id(), "browser.watcher@school.test", "test");
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(url("/xapi/statements")))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (platform.client().apiKey() + ":" + platform.secret()).getBytes()))
                .header("X-Experience-API-Version", "2.0.0").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"actor":{"mbox":"mailto:browser.watcher@school.test"},
                         "verb":{"id":"https://browser.test/verbs/watched"},
                         "object":{"id":"https://browser.test/live/1"}}""")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        signIn("teacher");
        browser.get(url("/my/learning"));
        assertThat(browser.findElement(By.id("hours")).getText()).contains("自主研修").contains("1.50");
        assertThat(browser.findElement(By.id("facts")).getText()).contains("https://browser.test/live/1");

        // the rule goes again: the district admin deletes it
        signIn("district");
        browser.get(url("/lrs/rules"));
        browser.findElement(By.xpath("//tr[contains(., 'browser.test/verbs/watched')]//a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("delete-rule"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "规则已删除"));
        assertThat(browser.findElement(By.id("rules")).getText()).doesNotContain("browser.test/verbs/watched");
    }

    @Test
    void aTeacherOpensTheirTrainingRecordWithItsStatusAndReason() {
        signIn("teacher");
        browser.findElement(By.linkText("我的学时档案")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("lines")));
        assertThat(browser.findElement(By.id("status")).getText()).matches("已达标|按进度|有风险|落后");
        assertThat(browser.findElement(By.id("reason")).getText()).matches("已达标|还差.+ [0-9.]+ 学时，剩余 [0-9]+ 个月");
        assertThat(browser.findElement(By.id("lines")).getText()).contains("总学时").contains("信息技术应用能力");
        assertThat(browser.findElement(By.id("entries")).getText()).contains("（演示）").contains("导入");
        browser.findElement(By.linkText("上一周期")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cycle"), "2021-01-01"));
    }

    @Test
    void aDistrictAdminListsTeachersAtRiskAndRemindsThem() {
        var me = teachers.get(account("teacher").teacherId(), org.peiyu.platform.security.Scope.ALL);
        signIn("district");
        browser.findElement(By.linkText("学时学分")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rates")));
        assertThat(browser.findElement(By.id("rates")).getText()).contains(me.schoolName());
        browser.findElement(By.linkText(me.schoolName())).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("unit-name"), me.schoolName()));
        // the admin filters to the teacher's status and reminds everyone the list holds
        String status = jdbc.sql("SELECT status FROM credit_compliance WHERE teacher_id = ?").param(me.id())
                .query(String.class).single();
        var select = new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("status")));
        select.selectByValue(status);
        String label = select.getFirstSelectedOption().getText();
        browser.findElement(By.cssSelector("form.filters button")).click();
        wait.until(ExpectedConditions.urlContains("status=" + status));
        assertThat(browser.findElements(By.cssSelector("#teachers-list .tag"))).isNotEmpty().allSatisfy(t ->
                assertThat(t.getText()).isEqualTo(label));
        browser.findElement(By.cssSelector("#remind input[name=note]")).sendKeys("请于本月完成线上研修");
        browser.findElement(By.cssSelector("#remind button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reminded"), "发送提醒"));

        signIn("teacher");
        browser.get(url("/my/notifications"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("学时学分提醒");
        browser.findElement(By.linkText("查看")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("lines")));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.lrs.LrsClients clients;
    @org.springframework.beans.factory.annotation.Autowired
    org.peiyu.lrs.Actors actors;
}
