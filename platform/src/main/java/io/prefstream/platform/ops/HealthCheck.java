package io.prefstream.platform.ops;

/**
 * One condition behind {@code /healthz} or {@code /readyz}. Called on every probe from the HTTP
 * server's thread, so it must be cheap and must not block (read a state, don't make a call).
 */
@FunctionalInterface
public interface HealthCheck {
    Result check();

    /** The outcome of a check: whether it holds and, either way, a short human-readable detail. */
    record Result(boolean healthy, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
