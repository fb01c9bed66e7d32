package org.peiyu.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.Random;

import org.peiyu.directory.DirectoryTree;
import org.peiyu.directory.IdCardNumber;
import org.peiyu.directory.RosterImport;
import org.peiyu.directory.SchoolType;
import org.peiyu.platform.security.Scope;
import org.springframework.stereotype.Service;

/**
 * Generates a fictional region, deterministically from a seed, and loads it through the roster import: the same
 * checks and upserts as a bureau's real files. Realistic shapes: school types and sizes, urban/rural mix, ages,
 * titles that follow age, subjects that follow the school type. Codes start with 99, unassigned in GB/T 2260.
 */
@Service
public class DemoRegion {

    /** How big a region to build. */
    public record Size(int cities, int districtsPerCity, int schoolsPerDistrict, int teachersPerSchool) {
        /** The demo city: 6 districts, 120 schools, about 6 000 teachers. */
        public static final Size CITY = new Size(1, 6, 20, 50);

        /** A large province, about 1 M teachers. */
        public static final Size PROVINCE = new Size(10, 10, 200, 50);
    }

    /** What was generated and how long loading it took. */
    public record Result(int divisions, int schools, int teachers, long schoolImportMillis, long teacherImportMillis,
                         String firstSchoolCode) {
    }

    public static final String PROVINCE_CODE = "990000";
    private static final LocalDate TODAY = LocalDate.of(2026, 9, 1); // fixed, so the same seed gives the same data

    private final DirectoryTree tree;
    private final RosterImport imports;
    private final Properties data = new Properties();

    DemoRegion(DirectoryTree tree, RosterImport imports) throws IOException {
        this.tree = tree;
        this.imports = imports;
        try (InputStream in = DemoRegion.class.getResourceAsStream("/demo/region.properties")) {
            data.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    public boolean exists() {
        return tree.division(PROVINCE_CODE).isPresent();
    }

    public Result generate(Size size, long seed, long accountId) throws IOException {
        Random random = new Random(seed);
        String[] cityNames = list("city.names");
        String[] districtNames = list("district.names");
        tree.createDivision(PROVINCE_CODE, data.getProperty("province.name"), null, Scope.ALL);
        List<String> districts = new ArrayList<>();
        int divisions = 1;
        for (int c = 1; c <= size.cities(); c++) {
            String cityCode = String.format("99%02d00", c);
            tree.createDivision(cityCode, cityNames[(c - 1) % cityNames.length]
                    + (c > cityNames.length ? String.valueOf(c) : ""), PROVINCE_CODE, Scope.ALL);
            divisions++;
            for (int d = 1; d <= size.districtsPerCity(); d++) {
                String code = String.format("99%02d%02d", c, d);
                int n = (c - 1) * size.districtsPerCity() + d - 1;
                tree.createDivision(code, districtNames[n % districtNames.length]
                        + (n >= districtNames.length ? String.valueOf(n / districtNames.length + 1) : ""), cityCode,
                        Scope.ALL);
                districts.add(code);
                divisions++;
            }
        }
        Path schoolsCsv = Files.createTempFile("peiyu-demo-schools", ".csv");
        Path teachersCsv = Files.createTempFile("peiyu-demo-teachers", ".csv");
        try {
                int[] counts = writeRosters(size, random, districts, schoolsCsv, teachersCsv);
            long t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(schoolsCsv)) {
                requireClean(imports.importNow(RosterImport.Kind.SCHOOLS, "demo-schools.csv", in, accountId, Scope.ALL));
            }
            long t1 = System.nanoTime();
            try (InputStream in = Files.newInputStream(teachersCsv)) {
                requireClean(imports.importNow(RosterImport.Kind.TEACHERS, "demo-teachers.csv", in, accountId,
                        Scope.ALL));
            }
            long t2 = System.nanoTime();
            return new Result(divisions, counts[0], counts[1], (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    schoolCode(districts.get(0), 1));
        } finally {
            Files.deleteIfExists(schoolsCsv);
            Files.deleteIfExists(teachersCsv);
        }
    }

    /** Generated data must pass the import's checks; a row it refuses is a bug of the generator. */
    private static void requireClean(RosterImport.Job job) {
        if (!"DONE".equals(job.status()) || job.errorRows() > 0) {
            throw new IllegalStateException("Demo import " + job.fileName() + " ended " + job.status() + " with "
                    + job.errorRows() + " rejected rows" + (job.failureKey() == null ? ""
                    : ": " + job.failureKey() + " " + job.failureArg()));
        }
    }

    private static String schoolCode(String district, int n) {
        return "3" + district + String.format("%03d", n);
    }

    /** Writes the school and teacher rosters as a bureau would export them; returns {schools, teachers}. */
    int[] writeRosters(Size size, Random random, List<String> districts, Path schoolsCsv, Path teachersCsv)
            throws IOException {
        String[] ordinals = list("school.ordinals");
        String[] streets = list("street.names");
        String[] districtNames = list("district.names");
        int schools = 0;
        int teachers = 0;
        Set<String> issued = new HashSet<>();
        try (BufferedWriter s = Files.newBufferedWriter(schoolsCsv, StandardCharsets.UTF_8);
             BufferedWriter t = Files.newBufferedWriter(teachersCsv, StandardCharsets.UTF_8)) {
            s.write(String.join(",", RosterImport.SCHOOL_COLUMNS) + "\n"); // field codes are accepted as headers
            t.write(String.join(",", RosterImport.TEACHER_COLUMNS) + "\n");
            for (int di = 0; di < districts.size(); di++) {
                String district = districts.get(di);
                // the first districts of each city are urban, the last rural
                double urbanShare = 1.0 - (double) ((di % size.districtsPerCity()) ) / Math.max(1, size.districtsPerCity() - 1);
                String districtName = districtNames[di % districtNames.length];
                for (int k = 1; k <= size.schoolsPerDistrict(); k++) {
                    SchoolType type = schoolType(random);
                    String area = random.nextDouble() < urbanShare ? "URBAN" : random.nextDouble() < 0.5 ? "TOWN" : "RURAL";
                    String code = schoolCode(district, k);
                    String name = districtName.substring(0, 2) + ordinals[(k - 1) % ordinals.length]
                            + (k > ordinals.length ? String.valueOf((k - 1) / ordinals.length + 1) : "")
                            + data.getProperty("school.suffix." + type.name());
                    s.write(code + "," + name + "," + district + "," + type.name() + "," + area + ","
                            + java.text.MessageFormat.format(data.getProperty("address.format"), districtName,
                            streets[random.nextInt(streets.length)], String.valueOf(1 + random.nextInt(300))) + "\n");
                    schools++;
                    int n = teacherCount(type, area, size.teachersPerSchool(), random);
                    for (int i = 1; i <= n; i++) {
                        t.write(teacherRow(random, district, code, type, i, issued));
                        t.write('\n');
                        teachers++;
                    }
                }
            }
        }
        return new int[] {schools, teachers};
    }

    private String teacherRow(Random r, String district, String schoolCode, SchoolType type, int seq,
                              Set<String> issued) {
        int age = (int) Math.round(Math.max(22, Math.min(59, 40 + r.nextGaussian() * 9.5)));
        LocalDate birth = TODAY.minusYears(age).minusDays(r.nextInt(365));
        double femaleShare = switch (type) {
            case KINDERGARTEN -> 0.97;
            case PRIMARY -> 0.75;
            case SENIOR, VOCATIONAL -> 0.55;
            default -> 0.65;
        };
        boolean female = r.nextDouble() < femaleShare;
        String id = idCard(r, district, birth, female, issued);
        String[] surnames = list("surnames");
        String[] given = list("given.chars");
        String name = surnames[Math.min(surnames.length - 1, (int) Math.abs(r.nextGaussian() * surnames.length / 2.5))]
                + given[r.nextInt(given.length)] + (r.nextDouble() < 0.7 ? given[r.nextInt(given.length)] : "");
        String phone = "1" + (3 + r.nextInt(7)) + String.format("%09d", r.nextInt(1_000_000_000));
        String[] subjects = list(switch (type) {
            case KINDERGARTEN -> "subjects.kindergarten";
            case PRIMARY -> "subjects.primary";
            case VOCATIONAL -> "subjects.vocational";
            case SPECIAL -> "subjects.special";
            default -> "subjects.secondary";
        });
        // the core subjects have the most teachers
        String subject = subjects[Math.min(subjects.length - 1, (int) Math.abs(r.nextGaussian() * subjects.length / 2.2))];
        String gradesKey = switch (type) {
            case PRIMARY, NINE_YEAR -> "grades.primary";
            case JUNIOR -> "grades.junior";
            case SENIOR, COMPLETE_SECONDARY, VOCATIONAL -> "grades.senior";
            default -> null;
        };
        String grades = "";
        if (gradesKey != null) {
            String[] g = list(gradesKey);
            int first = r.nextInt(g.length);
            grades = g[first] + (first + 1 < g.length && r.nextBoolean() ? ";" + g[first + 1] : "");
        }
        String title = title(age, r);
        String[] posts = list("posts");
        String post = r.nextDouble() < 0.35 ? posts[r.nextInt(posts.length)] : "";
        LocalDate since = birth.plusYears(22 + r.nextInt(3)).withMonth(9).withDayOfMonth(1);
        if (since.isAfter(TODAY)) {
            since = TODAY;
        }
        double st = r.nextDouble();
        String status = st < 0.97 ? "ACTIVE" : st < 0.985 ? "RETIRED" : st < 0.993 ? "TRANSFERRED_OUT" : "LEFT";
        return String.join(",", name, id, female ? "F" : "M", phone, String.format("T%04d", seq), schoolCode,
                subject, grades, title, post, birth.toString(), since.toString(), status); // TEACHER_COLUMNS order
    }

    private static String title(int age, Random r) {
        double x = r.nextDouble();
        if (age < 27) {
            return x < 0.6 ? "UNRANKED" : "SECOND";
        }
        if (age < 35) {
            return x < 0.15 ? "THIRD" : x < 0.7 ? "SECOND" : "FIRST";
        }
        if (age < 45) {
            return x < 0.2 ? "SECOND" : x < 0.75 ? "FIRST" : "SENIOR";
        }
        return x < 0.45 ? "FIRST" : x < 0.98 ? "SENIOR" : "SENIOR_PROFESSOR";
    }

    /** A valid, unused number: as in real life, two people never share one. */
    private static String idCard(Random r, String district, LocalDate birth, boolean female, Set<String> issued) {
        while (true) {
            int seq = r.nextInt(500) * 2 + (female ? 0 : 1);
            String body = district + String.format("%04d%02d%02d", birth.getYear(), birth.getMonthValue(),
                    birth.getDayOfMonth()) + String.format("%03d", seq);
            if (issued.add(body)) {
                return body + IdCardNumber.checkChar(body);
            }
        }
    }

    private static SchoolType schoolType(Random r) {
        double x = r.nextDouble();
        if (x < 0.45) return SchoolType.PRIMARY;
        if (x < 0.70) return SchoolType.JUNIOR;
        if (x < 0.80) return SchoolType.NINE_YEAR;
        if (x < 0.88) return SchoolType.SENIOR;
        if (x < 0.95) return SchoolType.KINDERGARTEN;
        if (x < 0.97) return SchoolType.COMPLETE_SECONDARY;
        if (x < 0.99) return SchoolType.VOCATIONAL;
        return SchoolType.SPECIAL;
    }

    private static int teacherCount(SchoolType type, String area, int average, Random r) {
        double factor = switch (type) {
            case SENIOR, COMPLETE_SECONDARY -> 2.0;
            case JUNIOR, NINE_YEAR -> 1.2;
            case PRIMARY -> 0.9;
            case KINDERGARTEN, SPECIAL -> 0.4;
            case VOCATIONAL -> 1.3;
        };
        if (area.equals("RURAL")) {
            factor *= 0.5;
        }
        // normalised so that the mean over the type mix is about the requested average
        return Math.max(5, (int) Math.round(average * factor / 1.02 * (0.7 + r.nextDouble() * 0.6)));
    }

    /** A display name from the demo data, e.g. of a demo account. */
    String label(String key) {
        return data.getProperty(key);
    }

    private String[] list(String key) {
        return data.getProperty(key).split(",");
    }
}
