/** Retries `write` until it succeeds (the database may be restarting); gives up after `timeoutMs`. */
export async function persistently<T>(write: () => Promise<T>, timeoutMs = 10 * 60_000, pauseMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
