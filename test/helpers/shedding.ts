/**
 * A test's client shares the server's event loop (or its two cores) and keeps it busy in bursts: a
 * write refused because the loop looked busy or lagging, or live delivery looked behind, would fail
 * tests at random. Every server a test starts takes this; the shedding tests set the bound they test.
 */
export const TEST_SERVER_SHEDDING = { SHED_EVENT_LOOP_UTILIZATION: '1', SHED_EVENT_LOOP_DELAY_MS: '60000', SHED_LIVE_DELAY_MS: '600000' } as const;
