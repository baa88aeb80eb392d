import { useState } from 'preact/hooks';
import type { DeveloperJson } from '@roost/sdk/console';
import { consoleApi, errorText } from '../api.js';
import { Field } from '../ui.js';

export function AuthPage({ onSignedIn }: { onSignedIn: (d: DeveloperJson) => void }) {
  const [mode, setMode] = useState<'signin' | 'signup'>('signup');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');
  const [error, setError] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    try {
      const s = mode === 'signup' ? await consoleApi.signUp({ email, password, username }) : await consoleApi.signIn({ email, password });
      if (s.developer) onSignedIn(s.developer);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <main class="auth">
      <h1>Roost Developer Console</h1>
      <div class="tabs" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'signup'} onClick={() => setMode('signup')}>
          Sign up
        </button>
        <button type="button" aria-pressed={mode === 'signin'} onClick={() => setMode('signin')}>
          Sign in
        </button>
      </div>
      <form onSubmit={submit} aria-label={mode === 'signup' ? 'Sign up' : 'Sign in'}>
        <Field label="E-mail" type="email" value={email} onInput={setEmail} autocomplete="email" required />
        <Field label="Password" type="password" value={password} onInput={setPassword} autocomplete={mode === 'signup' ? 'new-password' : 'current-password'} required minLength={8} />
        {mode === 'signup' && <Field label="X username (owns your apps)" value={username} onInput={setUsername} autocomplete="username" required pattern="[A-Za-z0-9_]{1,15}" />}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{mode === 'signup' ? 'Create account' : 'Sign in'}</button>
      </form>
    </main>
  );
}
