import { useId, useState, type FormEvent } from "react";

import { AuthError, login } from "@/lib/session";

/** Email and password; on success the session changes and the page moves on (LoginPage). */
export function LoginForm() {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await login(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
    } catch (error) {
      setProblem(describe(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="login__form" onSubmit={(event) => void submit(event)} aria-busy={busy}>
      {problem && (
        <p className="login__problem" role="alert">
          {problem}
        </p>
      )}
      <div className="login__field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="login__field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <button type="submit" className="button button--primary login__submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function describe(error: unknown): string {
  if (!(error instanceof AuthError)) return "Signing in failed; try again.";
  if (error.status === 429) {
    return error.retryAfter === null
      ? "Too many attempts: try again later."
      : `Too many attempts: try again in ${error.retryAfter} s.`;
  }
  if (error.status === 0) return "The server did not answer: check that it is running, then try again.";
  if (error.status === 404 || error.status === 405) {
    return "This server does not offer sign-in: it has no /api/v1/auth/login.";
  }
  return sentence(error.message);
}

/** "wrong email or password" -> "Wrong email or password." */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
