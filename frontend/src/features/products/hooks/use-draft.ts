import { useEffect, useRef, useState } from "react";

/**
 * A text field's draft of a URL value: typing changes the draft at once and ``commit``s it
 * once typing pauses for ``delay`` ms; a change of the URL from elsewhere (back, a link)
 * replaces the draft, while the URL catching up with our own commit does not.
 */
export function useDraft(
  value: string,
  commit: (draft: string) => void,
  delay = 250,
): [string, (draft: string) => void] {
  const [draft, setDraft] = useState(value);
  const committed = useRef<string | null>(null);
  // The latest commit, so that a parent's re-render does not restart the pause.
  const latest = useRef(commit);
  useEffect(() => {
    latest.current = commit;
  });
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value === committed.current) committed.current = null;
    else setDraft(value);
  }
  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => {
      committed.current = draft;
      latest.current(draft);
    }, delay);
    return () => clearTimeout(timer);
  }, [draft, value, delay]);
  return [draft, setDraft];
}
