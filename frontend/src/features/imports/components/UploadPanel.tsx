import { useId, useRef, useState, type DragEvent } from "react";

import { PanelHeader } from "@/components/ui/PanelHeader";
import { formatCount, formatPercent } from "@/lib/format";

import type { DateOrder } from "../api/upload-csv";
import { useUpload } from "../hooks/use-upload";
import type { ImportRecord } from "../lib/imports";

/** Drop or choose a sales CSV; it is uploaded at once, with its progress. Admins only. */
export function UploadPanel({ onImport }: { onImport: (record: ImportRecord) => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dryRun, setDryRun] = useState(false);
  const [over, setOver] = useState(false);
  const { state, send, reset } = useUpload(onImport);
  const sending = state.step === "sending";

  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !sending) void send(file, dryRun);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files);
  };

  return (
    <section className="panel import-upload" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Upload a sales file"
        note={
          <>
            A CSV with the columns <code>date</code>, <code>product_name</code> and{" "}
            <code>amount</code> (docs/csv-import.md lists the optional ones). Rows imported
            before are skipped, so a file can be sent again.
          </>
        }
      />
      <div
        className={over ? "import-drop import-drop--over" : "import-drop"}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="import-drop"
      >
        <p className="import-drop__hint">Drag a CSV file here, or</p>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Sales CSV file"
          onChange={(event) => {
            take(event.target.files);
            event.target.value = "";
          }}
        />
        <button
          type="button"
          className="button button--primary"
          onClick={() => input.current?.click()}
          disabled={sending}
        >
          Choose file…
        </button>
        <label className="import-drop__dry-run">
          <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
          Dry run: check the file and report, write nothing
        </label>
      </div>
      {state.step === "sending" && (
        <div className="import-progress">
          <label htmlFor={`${id}-progress`}>
            Sending {state.file.name}: {formatPercent(state.total ? (state.sent / state.total) * 100 : 0)} of{" "}
            {formatCount(Math.ceil(state.total / 1024))} KB
          </label>
          <progress id={`${id}-progress`} max={state.total || 1} value={state.sent} />
        </div>
      )}
      {state.step === "asking-date-order" && (
        <DateOrderQuestion
          file={state.file}
          detail={state.detail}
          onAnswer={(order) => void send(state.file, dryRun, order)}
          onCancel={reset}
        />
      )}
      {state.step === "refused" && (
        <p className="import-problem" role="alert">
          {state.message}
        </p>
      )}
      {state.step === "answered" && (
        <p className="import-muted import-upload__sent" role="status">
          {state.file.name} was sent{state.record.dryRun ? " for a dry run" : ""}: import{" "}
          {state.record.id} below.
        </p>
      )}
    </section>
  );
}

interface DateOrderQuestionProps {
  file: File;
  detail: string;
  onAnswer: (order: DateOrder) => void;
  onCancel: () => void;
}

/** The API's question for a file whose dates could be read either way. */
function DateOrderQuestion({ file, detail, onAnswer, onCancel }: DateOrderQuestionProps) {
  const [order, setOrder] = useState<DateOrder | null>(null);
  return (
    <form
      className="import-question"
      onSubmit={(event) => {
        event.preventDefault();
        if (order) onAnswer(order);
      }}
    >
      <fieldset>
        <legend>Are dates day-first or month-first?</legend>
        <p className="import-muted">
          {file.name}: {detail}
        </p>
        <label>
          <input type="radio" name="date-order" value="DMY" checked={order === "DMY"} onChange={() => setOrder("DMY")} />
          Day first (31/01/2026)
        </label>
        <label>
          <input type="radio" name="date-order" value="MDY" checked={order === "MDY"} onChange={() => setOrder("MDY")} />
          Month first (01/31/2026)
        </label>
      </fieldset>
      <button type="submit" className="button button--primary" disabled={!order}>
        Import with this date order
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
