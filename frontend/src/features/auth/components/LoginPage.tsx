import { useEffect } from "react";
import { Link, Navigate, useSearchParams } from "react-router-dom";

import { FullPageSkeleton } from "@/components/layout/FullPageSkeleton";
import { useSession } from "@/hooks/use-session";

import { safeNext } from "../utils/safe-next";
import { LoginForm } from "./LoginForm";
import "../auth.css";

export function LoginPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { shopName } = session;
  useEffect(() => {
    document.title = shopName ? `Sign in · ${shopName}` : "Sign in";
  }, [shopName]);

  if (session.status === "loading") return <FullPageSkeleton />;
  // Signed in (just now, or already): on to where the reader was going.
  if (session.status === "signed-in") return <Navigate to={next} replace />;
  return (
    <main className="login">
      <div className="login__card">
        <p className="login__shop">{shopName}</p>
        <h1>Sign in</h1>
        <LoginForm />
        {session.anonymousReads && (
          <p className="login__alt">
            <Link to={next}>Continue without signing in</Link>
          </p>
        )}
      </div>
    </main>
  );
}
