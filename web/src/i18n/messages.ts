// User-facing text: pt-BR is the source, English the translation. The English
// table must have exactly the same keys (the compiler checks it, and a unit test
// checks that every {placeholder} is kept).

export const ptBR = {
  'app.name': 'hcms',
  'app.admin': 'Administração',
  'app.skipToContent': 'Pular para o conteúdo',
  'app.loading': 'Carregando…',
  'app.practice': 'Clínica',

  'lang.label': 'Idioma',
  'lang.pt-BR': 'Português (Brasil)',
  'lang.en': 'English',

  'nav.label': 'Navegação principal',
  'nav.dashboard': 'Painel',
  'nav.posts': 'Publicações',
  'nav.pipeline': 'Pipeline de conformidade',
  'nav.media': 'Mídia',
  'nav.users': 'Usuários e papéis',
  'nav.plugins': 'Plugins',
  'nav.audit': 'Auditoria',
  'nav.privacy': 'Consentimentos e titulares',
  'nav.settings': 'Configurações da clínica',
  'nav.account': 'Minha conta',

  'user.menu': 'Conta de {name}',
  'user.logout': 'Sair',
  'user.role': 'Papel: {role}',

  'problem.requestId': 'Código da requisição: {id}',
  'problem.network': 'Sem conexão com o servidor',
  'problem.networkDetail': 'Verifique a conexão e tente de novo.',
  'problem.unexpected': 'Resposta inesperada do servidor',
  'problem.fieldErrors': 'Corrija os campos indicados:',
  'problem.trust': 'Pontuação de confiança {score} de {required} exigidos.',
  'problem.reason': 'Motivo: {reason}',
  'problem.dismiss': 'Fechar aviso',

  'login.title': 'Entrar',
  'login.intro': 'Acesse o painel da sua clínica.',
  'login.email': 'E-mail',
  'login.password': 'Senha',
  'login.submit': 'Entrar',
  'login.submitting': 'Entrando…',
  'login.mfaTitle': 'Verificação em duas etapas',
  'login.mfaIntro': 'Digite o código de 6 dígitos do seu aplicativo autenticador.',
  'login.otp': 'Código do autenticador',
  'login.recovery': 'Usar um código de recuperação',
  'login.recoveryCode': 'Código de recuperação',
  'login.verify': 'Verificar',
  'login.back': 'Voltar',
  'login.expired': 'Sua sessão expirou. Entre novamente para continuar.',
  'login.loggedOut': 'Você saiu do painel.',

  'stepUp.title': 'Confirme sua identidade',
  'stepUp.intro': 'Esta ação exige verificação em duas etapas. Digite o código do seu aplicativo autenticador.',
  'stepUp.submit': 'Confirmar',
  'stepUp.cancel': 'Cancelar',

  'dashboard.title': 'Painel',
  'dashboard.welcome': 'Olá, {name}.',

  'notFound.title': 'Página não encontrada',
  'notFound.body': 'O endereço {path} não existe no painel.',
  'notFound.back': 'Voltar ao painel',

  'common.save': 'Salvar',
  'common.cancel': 'Cancelar',
  'common.retry': 'Tentar de novo',
  'common.required': 'obrigatório',

  'role.super_admin': 'Superadministrador',
  'role.practice_admin': 'Administrador da clínica',
  'role.editor': 'Editor',
  'role.doctor': 'Médico(a)',
  'role.reviewer': 'Revisor(a)',
  'role.contributor': 'Colaborador(a)',
  'role.reader': 'Leitor(a)',

  'account.title': 'Minha conta',
  'account.profile': 'Perfil',
  'account.name': 'Nome',
  'account.email': 'E-mail',
  'account.role': 'Papel',
  'account.registration': 'Registro profissional',
  'account.none': 'Nenhum',
  'account.mfa': 'Verificação em duas etapas',
  'account.mfaOn': 'Ativada. Ao entrar, e para ações sensíveis, pediremos o código do aplicativo autenticador.',
  'account.mfaOff': 'Desativada. Ative-a para publicar conteúdo e acessar dados de pacientes.',
  'account.mfaEnable': 'Ativar verificação em duas etapas',
  'account.mfaSecret': 'Chave para o aplicativo autenticador',
  'account.mfaSecretHint': 'Digite esta chave no aplicativo (Google Authenticator, FreeOTP, Aegis…) ou abra o endereço abaixo no celular.',
  'account.mfaUri': 'Endereço otpauth',
  'account.mfaConfirm': 'Confirmar e ativar',
  'account.mfaActivated': 'Verificação em duas etapas ativada.',
  'account.recoveryCodes': 'Códigos de recuperação',
  'account.recoveryHint': 'Guarde estes códigos em lugar seguro. Cada um pode ser usado uma vez se você perder o celular. Eles não serão mostrados de novo.',
  'account.mfaDisable': 'Desativar verificação em duas etapas',
  'account.mfaDisabled': 'Verificação em duas etapas desativada.',
  'account.sessions': 'Sessões ativas',
  'account.sessionClient': 'Cliente',
  'account.sessionCreated': 'Início',
  'account.sessionLastSeen': 'Último uso',
  'account.sessionMethods': 'Métodos',
  'account.sessionCurrent': 'esta sessão',
  'account.sessionRevoke': 'Encerrar',
  'account.sessionRevokeLabel': 'Encerrar a sessão iniciada em {date}',
  'account.sessionRevoked': 'Sessão encerrada.',
} as const;

export type MessageKey = keyof typeof ptBR;

export const en: Record<MessageKey, string> = {
  'app.name': 'hcms',
  'app.admin': 'Administration',
  'app.skipToContent': 'Skip to content',
  'app.loading': 'Loading…',
  'app.practice': 'Practice',

  'lang.label': 'Language',
  'lang.pt-BR': 'Português (Brasil)',
  'lang.en': 'English',

  'nav.label': 'Main navigation',
  'nav.dashboard': 'Dashboard',
  'nav.posts': 'Posts',
  'nav.pipeline': 'Compliance pipeline',
  'nav.media': 'Media',
  'nav.users': 'Users and roles',
  'nav.plugins': 'Plugins',
  'nav.audit': 'Audit',
  'nav.privacy': 'Consent and data subjects',
  'nav.settings': 'Practice settings',
  'nav.account': 'My account',

  'user.menu': "{name}'s account",
  'user.logout': 'Log out',
  'user.role': 'Role: {role}',

  'problem.requestId': 'Request id: {id}',
  'problem.network': 'No connection to the server',
  'problem.networkDetail': 'Check the connection and try again.',
  'problem.unexpected': 'Unexpected answer from the server',
  'problem.fieldErrors': 'Fix the fields below:',
  'problem.trust': 'Trust score {score} of {required} required.',
  'problem.reason': 'Reason: {reason}',
  'problem.dismiss': 'Dismiss',

  'login.title': 'Sign in',
  'login.intro': "Sign in to your practice's admin.",
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.mfaTitle': 'Two-step verification',
  'login.mfaIntro': 'Enter the 6-digit code from your authenticator app.',
  'login.otp': 'Authenticator code',
  'login.recovery': 'Use a recovery code',
  'login.recoveryCode': 'Recovery code',
  'login.verify': 'Verify',
  'login.back': 'Back',
  'login.expired': 'Your session expired. Sign in again to continue.',
  'login.loggedOut': 'You have logged out.',

  'stepUp.title': 'Confirm it is you',
  'stepUp.intro': 'This action needs two-step verification. Enter the code from your authenticator app.',
  'stepUp.submit': 'Confirm',
  'stepUp.cancel': 'Cancel',

  'dashboard.title': 'Dashboard',
  'dashboard.welcome': 'Hello, {name}.',

  'notFound.title': 'Page not found',
  'notFound.body': 'The address {path} does not exist in the admin.',
  'notFound.back': 'Back to the dashboard',

  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.retry': 'Try again',
  'common.required': 'required',

  'role.super_admin': 'Super administrator',
  'role.practice_admin': 'Practice administrator',
  'role.editor': 'Editor',
  'role.doctor': 'Physician',
  'role.reviewer': 'Reviewer',
  'role.contributor': 'Contributor',
  'role.reader': 'Reader',

  'account.title': 'My account',
  'account.profile': 'Profile',
  'account.name': 'Name',
  'account.email': 'Email',
  'account.role': 'Role',
  'account.registration': 'Professional registration',
  'account.none': 'None',
  'account.mfa': 'Two-step verification',
  'account.mfaOn': 'On. We ask for the authenticator code when you sign in and for sensitive actions.',
  'account.mfaOff': 'Off. Turn it on to publish content and to access patient data.',
  'account.mfaEnable': 'Turn on two-step verification',
  'account.mfaSecret': 'Key for the authenticator app',
  'account.mfaSecretHint': 'Type this key into the app (Google Authenticator, FreeOTP, Aegis…) or open the address below on your phone.',
  'account.mfaUri': 'otpauth address',
  'account.mfaConfirm': 'Confirm and turn on',
  'account.mfaActivated': 'Two-step verification is on.',
  'account.recoveryCodes': 'Recovery codes',
  'account.recoveryHint': 'Keep these codes somewhere safe. Each works once if you lose your phone. They will not be shown again.',
  'account.mfaDisable': 'Turn off two-step verification',
  'account.mfaDisabled': 'Two-step verification is off.',
  'account.sessions': 'Active sessions',
  'account.sessionClient': 'Client',
  'account.sessionCreated': 'Started',
  'account.sessionLastSeen': 'Last used',
  'account.sessionMethods': 'Methods',
  'account.sessionCurrent': 'this session',
  'account.sessionRevoke': 'End',
  'account.sessionRevokeLabel': 'End the session started on {date}',
  'account.sessionRevoked': 'Session ended.',
};

export type Language = 'pt-BR' | 'en';
export const LANGUAGES: readonly Language[] = ['pt-BR', 'en'];

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m);
}

export function translate(lang: Language, key: MessageKey,
                          params?: Record<string, string | number>): string {
  const table: Record<MessageKey, string> = lang === 'en' ? en : ptBR;
  return format(table[key], params);
}
