/** Polls `check` every 250 ms until it says true; a string it returns is the last state, quoted in the error. */
export async function eventually(check: () => Promise<true | string> | true | string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const r = await check();
    if (r === true) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`not so after ${timeoutMs} ms; last: ${r}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}
