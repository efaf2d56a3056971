package dev.ringvm.report;

import dev.ringvm.probe.protocol.Result;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * junit.xml: a testsuite per kernel x memory (all its repeats), a testcase per probe case. REGRESSION, FIXED
 * and FLAKY are failures, INFRA is an error, UNSUPPORTED is skipped with its reason; PASS and KNOWN_BUG pass
 * (KNOWN_BUG keeps its reason in a {@code verdict} property and system-out). VM-level issues (a boot that did
 * not complete, console findings, taint) add a testcase {@code vm}; an unavailable kernel is an errored suite.
 */
final class JunitReport {
    private JunitReport() {}

    public static String render(Judgement j) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "ringvm");
            for (JudgedVm vm : j.vms()) suite(x, vm);
            for (UnavailableKernel u : j.run().unavailable()) unavailable(x, u);
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void suite(XMLStreamWriter x, JudgedVm vm) throws XMLStreamException {
        String name = vm.cell();
        long failures = vm.cases().stream().filter(c -> c.verdict().unexpected()).count()
                + vm.issues().stream().filter(i -> i.verdict().unexpected()).count();
        long errors = vm.cases().stream().filter(c -> c.verdict() == Verdict.INFRA).count()
                + vm.issues().stream().filter(i -> i.verdict() == Verdict.INFRA).count();
        long skipped = vm.cases().stream().filter(c -> c.verdict() == Verdict.UNSUPPORTED).count();
        boolean vmCase = !vm.issues().isEmpty();
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", name);
        x.writeAttribute("tests", String.valueOf(vm.cases().size() + (vmCase ? 1 : 0)));
        x.writeAttribute("failures", String.valueOf(failures));
        x.writeAttribute("errors", String.valueOf(errors));
        x.writeAttribute("skipped", String.valueOf(skipped));
        x.writeAttribute("time", seconds(vm.boots().stream().mapToLong(b -> b.wall().toMillis()).sum()));
        x.writeStartElement("properties");
        property(x, "kernel", vm.kernel());
        property(x, "release", vm.release());
        property(x, "memoryMiB", String.valueOf(vm.memoryMiB()));
        property(x, "boots", String.valueOf(vm.boots().size()));
        property(x, "accel", vm.boots().getFirst().accel());
        property(x, "verdict", vm.verdict().name());
        x.writeEndElement();
        for (JudgedCase c : vm.cases()) {
            Result r = c.first();
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", "ringvm." + name);
            x.writeAttribute("name", c.id());
            x.writeAttribute("time", seconds(r.micros() / 1000));
            String msg = c.verdict() + ": " + c.reason();
            String detail = msg + "\ncase " + c.id() + ": outcome " + c.outcome() + ", expected " + c.expectation().allowedText()
                    + "; sqe " + r.sqeBytes() + " B/" + r.sqePages() + " pages, rings " + r.ringBytes() + " B/"
                    + r.ringPages() + " pages, fallback " + (r.fallbackOk() == null ? "not tried" : r.fallbackOk() ? "ok" : "failed");
            switch (c.verdict()) {
                case REGRESSION, FIXED, FLAKY -> element(x, "failure", msg, c.verdict().name(), detail);
                case INFRA -> element(x, "error", msg, c.verdict().name(), detail);
                case UNSUPPORTED -> {
                    x.writeStartElement("skipped");
                    x.writeAttribute("message", msg);
                    x.writeEndElement();
                }
                case KNOWN_BUG -> {
                    x.writeStartElement("properties");
                    property(x, "verdict", c.verdict().name());
                    property(x, "reason", c.reason());
                    x.writeEndElement();
                    x.writeStartElement("system-out");
                    x.writeCharacters(detail);
                    x.writeEndElement();
                }
                case PASS -> { }
            }
            x.writeEndElement();
        }
        if (vmCase) {
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", "ringvm." + name);
            x.writeAttribute("name", "vm");
            x.writeAttribute("time", seconds(vm.boots().stream().mapToLong(b -> b.wall().toMillis()).sum()));
            for (JudgedVm.Issue i : vm.issues()) {
                String msg = i.boot() + ": " + i.verdict() + ": " + i.reason();
                element(x, i.verdict() == Verdict.INFRA ? "error" : "failure", msg, i.verdict().name(),
                        msg + "\nconsole: " + vm.boots().stream().filter(b -> b.job().name().equals(i.boot()))
                                .map(b -> String.valueOf(b.consoleLog())).findFirst().orElse("?")
                                + (i.excerpt().isEmpty() ? "" : "\n" + i.excerpt()));
            }
            x.writeEndElement();
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static void element(XMLStreamWriter x, String tag, String msg, String type, String text) throws XMLStreamException {
        x.writeStartElement(tag);
        x.writeAttribute("message", msg);
        x.writeAttribute("type", type);
        x.writeCharacters(text);
        x.writeEndElement();
    }

    private static void unavailable(XMLStreamWriter x, UnavailableKernel u) throws XMLStreamException {
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", u.id());
        x.writeAttribute("tests", "1");
        x.writeAttribute("failures", "0");
        x.writeAttribute("errors", "1");
        x.writeAttribute("skipped", "0");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "ringvm." + u.id());
        x.writeAttribute("name", "resolve");
        element(x, "error", "kernel unavailable: " + u.reason(), "UNAVAILABLE", u.source() + ": " + u.reason());
        x.writeEndElement();
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value == null ? "" : value);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
