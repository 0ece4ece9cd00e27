// A labelled form control. The label is always visible and tied to the control;
// hints and the field's error are linked with aria-describedby, and an error
// sets aria-invalid.
import { cloneElement, useId } from 'react';
import type { ReactElement } from 'react';

interface Props {
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}

export function Field({ label, hint, error, required, children, className }: Props) {
  const auto = useId();
  const id = (children.props.id as string | undefined) ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true" className="required-mark"> *</span> : null}
      </label>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {cloneElement(children, {
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        required: required || undefined,
      })}
      {error ? <p id={errorId} className="field-error">{error}</p> : null}
    </div>
  );
}
