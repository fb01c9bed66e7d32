package org.peiyu.lrs;

import java.util.Locale;

import org.springframework.context.MessageSource;
import tools.jackson.databind.node.ObjectNode;

/** The body of an xAPI error reply: the translated message and, for a statement, the JSON path of the violation. */
final class XapiErrors {

    private XapiErrors() {
    }

    static String body(XapiException e, MessageSource messages, Locale locale) {
        ObjectNode n = Statements.JSON.createObjectNode();
        n.put("error", messages.getMessage(e.messageKey(), e.args(), e.messageKey(), locale));
        if (e.path() != null) {
            n.put("path", e.path());
        }
        return Statements.JSON.writeValueAsString(n);
    }
}
