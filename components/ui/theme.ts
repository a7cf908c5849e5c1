// Light/dark theme: a `dark` class on <html>, the user's choice kept in localStorage (system preference until then).
export const THEME_STORAGE_KEY = 'lvs-dashboard:theme';

export type Theme = 'light' | 'dark';

/** Runs in <head> before first paint, so a dark-mode user never sees a light flash. */
export const themeInitScript = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;

export function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(THEME_STORAGE_KEY);
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null; // storage disabled
  }
}

/** The stored choice, else the system preference. */
export function resolvedTheme(): Theme {
  return storedTheme() ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
}
