package io.prefstream.app.campaign;

/** What a campaign does to the running pipeline, driven by its progress. */
interface Disruption {
    /**
     * Called on every turn of the campaign's loop; acts on whatever is due. It must not block for
     * long: the loop keeps feeding and checking the stages meanwhile.
     *
     * @param endedShare the share of the planned pairs that have ended so far (0..1)
     */
    void onProgress(double endedShare) throws Exception;

    /** Everything planned has happened (and whatever was taken away is back). */
    boolean done();

    /** One line for the progress report. */
    String status();
}
