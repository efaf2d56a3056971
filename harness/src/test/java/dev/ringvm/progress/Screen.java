package dev.ringvm.progress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal terminal for tests: applies exactly the control sequences the TTY view writes (CR, LF as CR LF like
 * the tty driver's default ONLCR, cursor up,
 * clear to end of line / screen, auto-wrap and cursor visibility) to an unbounded screen with scrollback, so a
 * test can assert what a user sees, not which bytes produced it. Any other escape fails the test.
 */
final class Screen {
    private static final Pattern CSI = Pattern.compile("\u001b\\[(\\??)(\\d*)([A-Za-z])");

    final int width;
    final List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
    int row;
    int col;
    boolean autowrap = true;
    boolean cursorVisible = true;

    Screen(int width) {
        this.width = width;
    }

    Screen feed(String s) {
        for (int i = 0; i < s.length(); ) {
            char ch = s.charAt(i);
            if (ch == '\u001b') {
                Matcher m = CSI.matcher(s).region(i, s.length());
                if (!m.lookingAt()) throw new AssertionError("unexpected escape at " + i + ": " + s.substring(i, Math.min(s.length(), i + 8)));
                apply(!m.group(1).isEmpty(), m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2)), m.group(3));
                i = m.end();
                continue;
            }
            switch (ch) {
                case '\r' -> col = 0;
                case '\n' -> { // the tty driver's default ONLCR: a newline returns the carriage too
                    row++;
                    col = 0;
                    line(row);
                }
                default -> {
                    if (ch < ' ') throw new AssertionError("unexpected control character " + (int) ch);
                    if (col >= width) {
                        if (autowrap) {
                            row++;
                            col = 0;
                        } else {
                            col = width - 1;
                        }
                    }
                    StringBuilder l = line(row);
                    while (l.length() < col) l.append(' ');
                    if (col < l.length()) l.setCharAt(col, ch); else l.append(ch);
                    col++;
                }
            }
            i++;
        }
        return this;
    }

    private void apply(boolean priv, int n, String op) {
        if (priv) {
            if (n == 7) autowrap = op.equals("h");
            else if (n == 25) cursorVisible = op.equals("h");
            else throw new AssertionError("unexpected private mode " + n);
            return;
        }
        switch (op) {
            case "A" -> {
                if (row - n < 0) throw new AssertionError("cursor up " + n + " from row " + row);
                row -= n;
            }
            case "K" -> line(row).setLength(Math.min(col, line(row).length()));
            case "J" -> {
                line(row).setLength(Math.min(col, line(row).length()));
                while (rows.size() > row + 1) rows.removeLast();
            }
            default -> throw new AssertionError("unexpected CSI " + op);
        }
    }

    private StringBuilder line(int r) {
        while (rows.size() <= r) rows.add(new StringBuilder());
        return rows.get(r);
    }

    /** Every row, scrollback included, without the empty row the cursor sits on at the end. */
    List<String> lines() {
        List<String> out = new ArrayList<>(rows.stream().map(StringBuilder::toString).toList());
        if (!out.isEmpty() && out.getLast().isEmpty() && row == out.size() - 1) out.removeLast();
        return out;
    }
}
