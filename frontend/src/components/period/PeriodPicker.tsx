import { useId, useState, type FormEvent } from "react";

import {
  PERIOD_PRESETS,
  validRange,
  type PeriodState,
  type PresetPeriod,
} from "@/lib/period";

export interface PeriodPickerProps {
  value: PeriodState;
  onChange: (next: Partial<PeriodState>) => void;
  /** The business time zone the periods are cut in, shown beside the picker. */
  timezone?: string;
}

/** Preset periods and a custom range of business-local calendar dates. */
export function PeriodPicker({ value, onChange, timezone }: PeriodPickerProps) {
  const [editing, setEditing] = useState(false);
  const choose = (period: PresetPeriod) => {
    setEditing(false);
    onChange({ period, range: null });
  };
  const custom = value.period === "CUSTOM";
  return (
    <div className="period-picker-wrap">
      <div className="period-picker" role="group" aria-label="Period">
        {PERIOD_PRESETS.map(({ period, label }) => (
          <button
            key={period}
            type="button"
            className="period-picker__button"
            aria-pressed={period === value.period}
            onClick={() => choose(period)}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className="period-picker__button"
          aria-pressed={custom}
          aria-expanded={editing}
          onClick={() => setEditing((open) => !open)}
        >
          Custom…
        </button>
      </div>
      {timezone && <p className="period-picker__zone">Days cut in {timezone}</p>}
      {editing && (
        <CustomRangeForm
          initial={value.range}
          onApply={(range) => {
            setEditing(false);
            onChange({ period: "CUSTOM", range });
          }}
        />
      )}
    </div>
  );
}

function CustomRangeForm({
  initial,
  onApply,
}: {
  initial: PeriodState["range"];
  onApply: (range: NonNullable<PeriodState["range"]>) => void;
}) {
  const id = useId();
  const [from, setFrom] = useState(initial?.startDate ?? "");
  const [to, setTo] = useState(initial?.endDate ?? "");
  const range = validRange(from, to);
  const problem =
    from && to && !range ? "The start date must be a real date on or before the end date." : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (range) onApply(range);
  };
  return (
    <form className="custom-range" onSubmit={submit} aria-label="Custom range">
      <label htmlFor={`${id}-from`}>From</label>
      <input
        id={`${id}-from`}
        type="date"
        value={from}
        max={to || undefined}
        onChange={(event) => setFrom(event.target.value)}
        required
      />
      <label htmlFor={`${id}-to`}>To</label>
      <input
        id={`${id}-to`}
        type="date"
        value={to}
        min={from || undefined}
        onChange={(event) => setTo(event.target.value)}
        required
      />
      <button type="submit" className="button button--primary" disabled={!range}>
        Apply
      </button>
      {problem && (
        <p className="custom-range__problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
