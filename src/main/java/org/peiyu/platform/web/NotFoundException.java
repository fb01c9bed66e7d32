package org.peiyu.platform.web;

/** Nothing there, or nothing the user may see: both answer 404 so that ids outside a scope reveal nothing. */
public class NotFoundException extends RuntimeException {
    public NotFoundException() {
        super("not found", null, false, false);
    }
}
