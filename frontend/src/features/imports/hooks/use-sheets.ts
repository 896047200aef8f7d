import { useCallback, useEffect, useState } from "react";

import { listSheets, type Sheet } from "../api/sheets";

export interface SheetsList {
  sheets: Sheet[] | null;
  /** Why the list could not be read, or null. */
  error: string | null;
  reload: () => void;
}

/** The registered sheets (GET /api/v1/sheets), read when the page opens and on reload. */
export function useSheets(): SheetsList {
  const [sheets, setSheets] = useState<Sheet[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let gone = false;
    listSheets().then(
      (answer) => {
        if (gone) return;
        setSheets(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (!gone) setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      gone = true;
    };
  }, [asked]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  return { sheets, error, reload };
}
