import { useId, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

interface FieldProps {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'email' | 'password' | 'number';
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  pattern?: string;
  placeholder?: string;
  describedBy?: string;
}

/** A labelled input. */
export function Field(p: FieldProps) {
  const id = useId();
  return (
    <p class="field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        // Preact types `type` as a union discriminating other attributes; these four share them all.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
        autocomplete={p.autocomplete}
        required={p.required}
        minLength={p.minLength}
        pattern={p.pattern}
        placeholder={p.placeholder}
        aria-describedby={p.describedBy}
      />
    </p>
  );
}

/** A labelled select. */
export function Select<T extends string>(p: { label: string; value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <p class="field">
      <label for={id}>{p.label}</label>
      <select id={id} value={p.value} onChange={(e) => p.onChange((e.target as HTMLSelectElement).value as T)}>
        {p.options.map(([v, label]) => (
          <option value={v}>{label}</option>
        ))}
      </select>
    </p>
  );
}

/** A secret shown once, with a copy button. */
export function Secret({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  }
  return (
    <div class="secret">
      <span id={id} class="secret-label">
        {label}
      </span>
      <code aria-labelledby={id} data-secret={label}>
        {value}
      </code>
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
        <span class="sr-only"> {label}</span>
      </button>
    </div>
  );
}

export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** The app picker of pages that act as one app. */
export function AppPicker({ apps, value, onChange }: { apps: readonly { id: string; name: string }[]; value: string; onChange: (id: string) => void }) {
  return <Select label="App" value={value} options={apps.map((a) => [a.id, a.name] as const)} onChange={onChange} />;
}
