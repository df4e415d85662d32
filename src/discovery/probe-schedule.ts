/**
 * SOAP-over-UDP retransmission (SOAP-over-UDP 1.0 §3.4 and Appendix I, used by WS-Discovery 2005/04): a message is
 * sent, then repeated after a random delay between UDP_MIN_DELAY and UDP_MAX_DELAY, each further delay doubling up
 * to UDP_UPPER_DELAY. Multicast messages are repeated MULTICAST_UDP_REPEAT times, unicast ones UNICAST_UDP_REPEAT.
 */
export const SOAP_UDP = {
  minDelayMs: 50,
  maxDelayMs: 250,
  upperDelayMs: 500,
  multicastRepeat: 2,
  unicastRepeat: 1,
} as const;

/** Send times in ms after the first send (which is at 0), for `repeat` repetitions. */
export function retransmitSchedule(repeat: number, random: () => number = Math.random): number[] {
  const times = [0];
  let delay = SOAP_UDP.minDelayMs + random() * (SOAP_UDP.maxDelayMs - SOAP_UDP.minDelayMs);
  let at = 0;
  for (let i = 0; i < repeat; i += 1) {
    at += delay;
    times.push(Math.round(at));
    delay = Math.min(delay * 2, SOAP_UDP.upperDelayMs);
  }
  return times;
}
