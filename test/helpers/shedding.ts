/**
 * A test's client shares the server's event loop (or its two cores) and keeps it busy in bursts: a
 * write refused because the loop looked busy would fail tests at random. Every server a test starts
 * takes this; the shedding tests turn the utilisation bound back on.
 */
export const TEST_SERVER_SHEDDING = { SHED_EVENT_LOOP_UTILIZATION: '1' } as const;
