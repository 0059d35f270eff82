package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ::usage:: line: what is accepted, and every lie or mistake refused whole with its reason and the line. */
class UsageLineTest {
    private static UsageLine parse(String line) {
        return ProgressLine.parse(line).orElseThrow().usage();
    }

    @Test
    void aFullLineAndAPartialOneAreReports() {
        assertThat(parse("::usage input=1200 output=340 cached=800 model=claude-sonnet-4-5 cost=0.0123::").report())
                .isEqualTo(new UsageLine.Report("claude-sonnet-4-5", 1200, 340, 800, 0.0123));
        assertThat(parse("  ::usage output=5::  ").report()).isEqualTo(new UsageLine.Report(null, 0, 5, 0, null));
        assertThat(ProgressLine.parse("::usage output=5::").orElseThrow().kind()).isEqualTo(ProgressLine.Kind.USAGE);
    }

    @Test
    void lyingAndMalformedLinesAreRefusedNamingTheLineAndWhy() {
        assertThat(parse("::usage input=-5::").problem())
                .isEqualTo("usage line \"::usage input=-5::\" refused: input=-5 is negative");
        assertThat(parse("::usage input=abc output=1::").problem()).endsWith("input=abc is not a whole number of tokens");
        assertThat(parse("::usage input=1.5::").problem()).endsWith("input=1.5 is not a whole number of tokens");
        assertThat(parse("::usage output=900000000000::").problem())
                .endsWith("output=900000000000 is absurd: more than 100000000 tokens in one report");
        assertThat(parse("::usage output=99999999999999999999999::").problem()).contains("is not a whole number");
        assertThat(parse("::usage input=1 cost=-1::").problem()).endsWith("cost=-1 is negative");
        assertThat(parse("::usage input=1 cost=1e9::").problem()).endsWith("cost=1e9 is not a number of US dollars (e.g. 0.0123)");
        assertThat(parse("::usage input=1 cost=20000::").problem()).endsWith("cost=20000 is absurd: more than 10000 US dollars in one report");
        assertThat(parse("::usage model=x::").problem()).endsWith("it names no token count (input, output or cached)");
        assertThat(parse("::usage::").problem()).endsWith("it names no token count (input, output or cached)");
        assertThat(parse("::usage input=1 input=2::").problem()).endsWith("it gives input twice");
        assertThat(parse("::usage input=1 tokens=2::").problem())
                .endsWith("unknown key 'tokens' (known: input, output, cached, model, cost)");
        assertThat(parse("::usage input=1 oops::").problem()).endsWith("'oops' is not key=value");
        assertThat(parse("::usage input=1 model=$(rm)::").problem()).contains("is not a model name");
        assertThat(parse("::usage input=1").problem()).endsWith("it must read ::usage key=value ...:: on one line");
        // control characters in a refused line are made visible, never passed on
        assertThat(parse("::usage input=\u001b[31m::").problem()).doesNotContain("\u001b");
    }

    @Test
    void otherLinesAreNotUsage() {
        assertThat(ProgressLine.parse("::usageinput=1::")).isEmpty();
        assertThat(ProgressLine.parse("the ::usage input=1:: in a sentence")).isEmpty();
    }

    @Test
    void fieldsFromJsonFollowTheSameRules() {
        assertThat(UsageLine.fromFields(Map.of("input", "7", "model", "gpt-5"), "here").report())
                .isEqualTo(new UsageLine.Report("gpt-5", 7, 0, 0, null));
        assertThat(UsageLine.fromFields(Map.of("input", "-7"), "the agent endpoint's usage[1]").problem())
                .isEqualTo("the agent endpoint's usage[1] refused: input=-7 is negative");
    }
}
