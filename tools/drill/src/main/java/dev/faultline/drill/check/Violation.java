package dev.faultline.drill.check;

/** One broken invariant: which check ({@link Checker}'s names) and what exactly. */
public record Violation(String check, String detail) {}
