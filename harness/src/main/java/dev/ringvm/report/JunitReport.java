package dev.ringvm.report;

import dev.ringvm.run.CaseResult;
import dev.ringvm.run.RunSummary;
import dev.ringvm.run.UnavailableKernel;
import dev.ringvm.run.VmResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.Locale;

/**
 * junit.xml: a testsuite per kernel x memory, a testcase per probe case. A case fails when NO_MMAP setup
 * did not give a working ring (failure text: errno and case); a VM that did not complete adds an errored
 * testcase naming the interrupted case; an unavailable kernel is an errored suite.
 */
public final class JunitReport {
    private JunitReport() {}

    public static String render(RunSummary s) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "ringvm");
            for (VmResult vm : s.vms()) suite(x, vm);
            for (UnavailableKernel u : s.unavailable()) unavailable(x, u);
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void suite(XMLStreamWriter x, VmResult vm) throws XMLStreamException {
        String name = vm.job().name();
        long failures = vm.guest().cases().stream().filter(c -> !c.passed()).count();
        boolean error = !vm.complete();
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", name);
        x.writeAttribute("tests", String.valueOf(vm.guest().cases().size() + (error ? 1 : 0)));
        x.writeAttribute("failures", String.valueOf(failures));
        x.writeAttribute("errors", error ? "1" : "0");
        x.writeAttribute("skipped", "0");
        x.writeAttribute("time", seconds(vm.wall().toMillis()));
        x.writeStartElement("properties");
        property(x, "kernel", vm.job().kernel().id());
        property(x, "release", vm.guest().release() == null ? vm.job().kernel().release() : vm.guest().release());
        property(x, "memoryMiB", String.valueOf(vm.job().memoryMiB()));
        property(x, "accel", vm.accel());
        x.writeEndElement();
        for (CaseResult c : vm.guest().cases()) {
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", "ringvm." + name);
            x.writeAttribute("name", c.id());
            x.writeAttribute("time", seconds(c.raw().path("micros").asLong() / 1000));
            if (!c.passed()) {
                String msg = c.outcome() + (c.errno() != 0 ? " (errno " + c.errno() + ")" : "") + " in " + c.id();
                x.writeStartElement("failure");
                x.writeAttribute("message", msg);
                x.writeAttribute("type", c.outcome());
                x.writeCharacters(msg + ": sqe " + c.sqeBytes() + " B/" + c.sqePages() + " pages, rings "
                        + c.ringBytes() + " B/" + c.ringPages() + " pages, fallback " + (c.fallbackOk() ? "ok" : "failed"));
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        if (error) {
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", "ringvm." + name);
            x.writeAttribute("name", "vm");
            x.writeAttribute("time", seconds(vm.wall().toMillis()));
            x.writeStartElement("error");
            String msg = vm.status() + ": " + vm.detail();
            x.writeAttribute("message", msg);
            x.writeAttribute("type", vm.status().name());
            x.writeCharacters(msg + "\nconsole: " + vm.consoleLog());
            x.writeEndElement();
            x.writeEndElement();
        }
        x.writeCharacters("\n  ");
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
        x.writeStartElement("error");
        x.writeAttribute("message", "kernel unavailable: " + u.reason());
        x.writeAttribute("type", "UNAVAILABLE");
        x.writeCharacters(u.source() + ": " + u.reason());
        x.writeEndElement();
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
