package io.prefstream.ops;

/** Why a partition has its {@link Status}; documented for operators in docs/METRICS.md. */
public enum Condition {
    /** Lag was zero at least once in the window (Burrow's first rule). */
    CAUGHT_UP(Status.OK),
    /** Lag is above zero but did not grow over the window: the stage keeps up. */
    KEEPING_UP(Status.OK),
    /** Fewer samples than the window needs to judge a trend (or a window of one sample); only instant rules applied. */
    WARMING_UP(Status.OK),
    /**
     * No position on a partition that holds records while the group has committed on other partitions of
     * the topic, or a member is assigned it: a stage that just started, or one stuck before its first commit.
     */
    NO_COMMIT(Status.WARN),
    /** The position moved, but lag grew at every step of the full window. */
    LAG_GROWING(Status.WARN),
    /** The position did not move over the full window while lag stayed above zero. */
    STALLED(Status.ERR),
    /** The position is below the log start offset: retention deleted records the stage never read. */
    BEHIND_RETENTION(Status.ERR);

    private final Status status;

    Condition(Status status) {
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
