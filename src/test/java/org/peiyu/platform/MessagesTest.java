package org.peiyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Chinese and English are both complete: every key in both bundles, every key a template names in both. */
class MessagesTest {

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources", name), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** Aliases are extra spellings accepted on import; a language may have more or fewer. */
    private static Set<String> keys(Properties p) {
        Set<String> keys = new TreeSet<>(p.stringPropertyNames());
        keys.removeIf(k -> k.endsWith(".aliases") || k.startsWith("import.alias."));
        return keys;
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        assertThat(keys(load("messages_en.properties"))).isEqualTo(keys(load("messages_zh_CN.properties")));
    }

    @Test
    void everyKeyATemplateNamesExists() throws IOException {
        Set<String> zh = keys(load("messages_zh_CN.properties"));
        Pattern literal = Pattern.compile("#\\{([a-zA-Z][\\w.]*)[}(]");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    if (!zh.contains(m.group(1))) {
                        missing.add(f.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void noChineseTextInJavaCode() throws IOException {
        Pattern han = Pattern.compile("\"[^\"]*\\p{IsHan}[^\"]*\"");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String code = line.replaceAll("//.*", "").trim();
                    boolean parsing = code.contains("Pattern.compile(") || code.contains(".split(");
                    if (!code.startsWith("*") && !code.startsWith("/*") && !parsing && han.matcher(code).find()) {
                        found.add(f.getFileName() + ": " + code);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
