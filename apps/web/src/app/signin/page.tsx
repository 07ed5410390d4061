const REASONS: Record<string, string> = {
  missing: "Enter an API token.",
  refused: "The API refused this token (unknown or revoked).",
  unreachable: "The API could not be reached; is it running?",
  expired: "Your session is no longer valid; sign in again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const reason = error === undefined ? undefined : (REASONS[error] ?? "Sign-in failed.");
  return (
    <main style={{ maxWidth: 480, margin: "10vh auto" }}>
      <h1>Sign in to Runboard</h1>
      <form method="post" action="/api/session" className="panel">
        <p className="muted">
          Use an API token: the one printed at the first start, or one made with <code>createApiToken</code>.
        </p>
        <label htmlFor="token">API token</label>
        <div className="row">
          <input id="token" name="token" type="password" autoComplete="off" required style={{ flex: 1 }} aria-describedby={reason ? "signin-error" : undefined} />
          <button type="submit" className="primary">Sign in</button>
        </div>
        {reason && (
          <p id="signin-error" role="alert" className="error">
            {reason}
          </p>
        )}
      </form>
    </main>
  );
}
