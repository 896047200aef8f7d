import { useCallback, useEffect, useRef, useState } from "react";

import { formatCount } from "@/lib/format";

import { uploadCsv, type DateOrder } from "../api/upload-csv";
import type { ImportRecord } from "../lib/imports";

export type UploadState =
  | { step: "idle" }
  | { step: "sending"; file: File; sent: number; total: number }
  /** The file never shows whether the day or the month comes first: the reader says. */
  | { step: "asking-date-order"; file: File; detail: string }
  | { step: "refused"; file: File | null; message: string }
  | { step: "answered"; file: File; record: ImportRecord };

const MB = 1024 * 1024;

/** Only CSV files are sent (the API would refuse anything else after the upload). */
export function isCsv(file: File): boolean {
  return /\.csv$/i.test(file.name);
}

/**
 * Uploads for the Upload panel: a file goes up with its progress; the import the API
 * answered with goes to ``onImport`` (finished, or queued to be followed); a file whose date
 * order the API asks for waits for ``answerDateOrder``. A pending upload is cancelled when
 * the page goes.
 */
export function useUpload(onImport: (record: ImportRecord) => void) {
  const [state, setState] = useState<UploadState>({ step: "idle" });
  const aborts = useRef(new AbortController());
  useEffect(() => {
    const controller = new AbortController();
    aborts.current = controller;
    return () => controller.abort();
  }, []);

  const send = useCallback(
    async (file: File, dryRun: boolean, dateOrder?: DateOrder) => {
      if (!isCsv(file)) {
        setState({ step: "refused", file: null, message: `${file.name} is not a CSV file: choose a .csv file.` });
        return;
      }
      setState({ step: "sending", file, sent: 0, total: file.size });
      try {
        const answer = await uploadCsv(file, {
          dryRun,
          dateOrder,
          signal: aborts.current.signal,
          onProgress: (sent, total) => setState({ step: "sending", file, sent, total }),
        });
        switch (answer.kind) {
          case "done":
          case "queued":
            setState({ step: "answered", file, record: answer.record });
            onImport(answer.record);
            break;
          case "needs-date-order":
            setState({ step: "asking-date-order", file, detail: answer.detail });
            break;
          case "refused":
            setState({
              step: "refused",
              file,
              message:
                answer.status === 413
                  ? `${file.name} is larger than the upload limit${
                      answer.limitBytes ? ` of ${formatCount(Math.round(answer.limitBytes / MB))} MB` : ""
                    }: ${answer.detail}.`
                  : `${file.name} was not imported: ${answer.detail}.`,
            });
        }
      } catch (failure) {
        if (failure instanceof DOMException && failure.name === "AbortError") return;
        const reason = failure instanceof Error ? failure.message : String(failure);
        setState({ step: "refused", file, message: `${file.name} was not uploaded: ${reason}.` });
      }
    },
    [onImport],
  );
  const reset = useCallback(() => setState({ step: "idle" }), []);
  return { state, send, reset };
}
