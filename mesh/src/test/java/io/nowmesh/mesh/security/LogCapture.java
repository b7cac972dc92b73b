package io.nowmesh.mesh.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.spi.FilterReply;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Captures everything a test run logs: every SLF4J/Logback event at every level (a turbo filter
 * overrides the levels of logback-test.xml while attached), rendered with its arguments, MDC and
 * stack trace, plus everything written to System.out and System.err.
 */
final class LogCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final List<String> events = new ArrayList<>();
  private final Appender appender = new Appender();
  private final TurboFilter everything = new TurboFilter() {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
        Throwable t) {
      return FilterReply.ACCEPT;
    }
  };
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;

  private LogCapture() {}

  static LogCapture start() {
    LogCapture c = new LogCapture();
    c.appender.setContext(c.context);
    c.appender.start();
    c.everything.start();
    c.context.addTurboFilter(c.everything);
    c.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(c.appender);
    System.setOut(new PrintStream(c.new Tee(c.originalOut, c.console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(c.new Tee(c.originalErr, c.console), true, StandardCharsets.UTF_8));
    return c;
  }

  /** All text captured so far: log events first, then console output. */
  synchronized String text() {
    StringBuilder b = new StringBuilder();
    synchronized (events) {
      events.forEach(e -> b.append(e).append('\n'));
    }
    synchronized (console) {
      b.append(console.toString(StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  int eventCount() {
    synchronized (events) {
      return events.size();
    }
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    context.getTurboFilterList().remove(everything);
    appender.stop();
  }

  private final class Appender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent e) {
      StringBuilder b = new StringBuilder()
          .append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
          .append(e.getMDCPropertyMap()).append(' ').append(e.getFormattedMessage());
      if (e.getArgumentArray() != null) {
        for (Object arg : e.getArgumentArray()) {
          b.append(" | arg: ").append(arg);
        }
      }
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        b.append('\n').append(ThrowableProxyUtil.asString(t));
      }
      synchronized (events) {
        events.add(b.toString());
      }
    }
  }

  private final class Tee extends OutputStream {
    private final PrintStream original;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream original, ByteArrayOutputStream copy) {
      this.original = original;
      this.copy = copy;
    }

    @Override
    public void write(int x) {
      synchronized (console) {
        copy.write(x);
      }
      original.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      synchronized (console) {
        copy.write(buf, off, len);
      }
      original.write(buf, off, len);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
