package io.prefstream.ops;

/** Health of a partition or a stage, in order of severity. */
public enum Status {
    /** Caught up, or consuming at least as fast as records arrive. */
    OK,
    /** Falling behind but still consuming (lag growing), or no committed position yet. */
    WARN,
    /** Not consuming (stalled with lag), or records were deleted before the stage read them. */
    ERR;

    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
