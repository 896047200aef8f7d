import { PERIOD_PRESETS, type PresetPeriod } from "@/features/overview/api/get-overview";

export interface PeriodPickerProps {
  value: PresetPeriod;
  onChange: (period: PresetPeriod) => void;
}

export function PeriodPicker({ value, onChange }: PeriodPickerProps) {
  return (
    <div className="period-picker" role="group" aria-label="Period">
      {PERIOD_PRESETS.map(({ period, label }) => (
        <button
          key={period}
          type="button"
          className="period-picker__button"
          aria-pressed={period === value}
          onClick={() => onChange(period)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
