import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

interface Labelled {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
  /** Smaller label and control, for a filter bar. */
  compact?: boolean;
  /** Classes added to the box around label and control (a grid span). */
  className?: string;
}

export type FieldProps = Labelled & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "className">;
type FieldSelectProps = Labelled & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "className"> & { children: ReactNode };

/** A labelled input whose errors are announced and tied to it with aria-describedby. */
export function Field({ label, name, errors, hint, compact, className, id, ...input }: FieldProps) {
  return (
    <FieldBox label={label} name={name} errors={errors} hint={hint} compact={compact} className={className} id={id}>
      {(control) => <input {...control} {...input} />}
    </FieldBox>
  );
}

/** A labelled select, wired like Field. */
export function FieldSelect({ label, name, errors, hint, compact, className, id, children, ...select }: FieldSelectProps) {
  return (
    <FieldBox label={label} name={name} errors={errors} hint={hint} compact={compact} className={className} id={id}>
      {(control) => (
        <select {...control} {...select}>
          {children}
        </select>
      )}
    </FieldBox>
  );
}

interface Control {
  id: string;
  name: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
  className: string;
}

function FieldBox({ label, name, errors, hint, compact, className, id, children }: Labelled & { id?: string; children: (control: Control) => ReactNode }) {
  const fieldId = id ?? `field-${name}`;
  const errorId = `${fieldId}-error`;
  const hintId = `${fieldId}-hint`;
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ") || undefined;
  const border = invalid ? "border-brand-dark" : "border-gray-300";
  return (
    <div className={className ? `flex flex-col gap-1 ${className}` : "flex flex-col gap-1"}>
      <label htmlFor={fieldId} className={compact ? "text-xs font-semibold" : "text-sm font-semibold"}>
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {children({
        id: fieldId,
        name,
        "aria-invalid": invalid || undefined,
        "aria-describedby": describedBy,
        className: compact ? `rounded-lg border px-2 py-2 text-sm ${border}` : `rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm ${border}`,
      })}
      {invalid ? (
        <p id={errorId} className="text-sm font-medium text-brand-dark">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
