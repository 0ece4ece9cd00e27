import { useI18n } from '../i18n/i18n';
import { LANGUAGES } from '../i18n/messages';
import type { Language } from '../i18n/messages';

// Two buttons (pt-BR / EN) with aria-pressed, each named in its own language.
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGUAGES.map((l: Language) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          onClick={() => setLang(l)}
          title={t(l === 'en' ? 'lang.en' : 'lang.pt-BR')}
        >
          {l === 'en' ? 'EN' : 'PT'}
          <span className="visually-hidden"> — {t(l === 'en' ? 'lang.en' : 'lang.pt-BR')}</span>
        </button>
      ))}
    </div>
  );
}
