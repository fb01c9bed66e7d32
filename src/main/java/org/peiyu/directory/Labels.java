package org.peiyu.directory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.stereotype.Component;

/** Reads an enum value from its code or from its Chinese or English label, as people write them in rosters. */
@Component
class Labels {

    private final Map<String, Enum<?>> byText = new HashMap<>();

    Labels(MessageSource messages) {
        for (Class<? extends Enum<?>> type : java.util.List.of(Gender.class, SchoolType.class, AreaClass.class,
                TeacherStatus.class, Title.class)) {
            for (Enum<?> e : type.getEnumConstants()) {
                String key = "enum." + type.getSimpleName() + "." + e.name();
                put(type, e.name(), e);
                for (Locale locale : new Locale[] {Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH}) {
                    try {
                        for (String alias : messages.getMessage(key, null, locale).split("/")) {
                            put(type, alias, e);
                        }
                    } catch (NoSuchMessageException ignored) {
                        // an untranslated value is still known by its code
                    }
                    try {
                        for (String alias : messages.getMessage(key + ".aliases", null, locale).split(",")) {
                            put(type, alias, e);
                        }
                    } catch (NoSuchMessageException ignored) {
                        // aliases are optional
                    }
                }
            }
        }
    }

    private void put(Class<?> type, String text, Enum<?> value) {
        String t = Text.clean(text);
        if (t != null) {
            byText.put(type.getSimpleName() + ":" + t.toLowerCase(Locale.ROOT), value);
        }
    }

    /** The value named by {@code text}, or null if blank or unknown. */
    <E extends Enum<E>> E parse(Class<E> type, String text) {
        String t = Text.clean(text);
        return t == null ? null : type.cast(byText.get(type.getSimpleName() + ":" + t.toLowerCase(Locale.ROOT)));
    }
}
