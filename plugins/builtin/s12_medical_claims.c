/* S.1.2: medical claims validation against the CFM/ANVISA advertising rules
 * (research/cfm-rules.md, rule set version below).
 *
 * Export: validate. Input: the stage document (stage.h). Output:
 *   {"stage":"s1.2","rules_version":..,"status":"pass|needs_review|block",
 *    "medical_validation_passed":bool,"counts":{"block":n,"review":n,"warn":n},
 *    "findings":[{"rule","title","severity","start","end","match","remediation","source"}],
 *    "suppressed":[{"rule","start","end","reason":"negation"}]}
 * Offsets are Unicode code points of the document text (stage_document_text), end
 * exclusive.
 *
 * Matching: the text is folded (lower case, accents removed, whitespace collapsed)
 * and every trigger phrase is matched at word boundaries ("*" at the end of a phrase
 * matches any word ending). A phrase preceded, within six words of the same
 * sentence, by a warning frame ("desconfie de", "é mito", "cuidado com", ...) does
 * not fire; after a plain negation ("não", "nunca") it drops to WARN. A commercial or
 * self-referencing cue in the same sentence ("minha clínica", "agende", "R$") raises
 * it one level. */
#include "stage.h"

#define RULES_VERSION "cfm-2336-2023.1"

enum { SEV_WARN = 1, SEV_REVIEW = 2, SEV_BLOCK = 3 };

/* How a rule is applied beyond plain phrase matching. */
enum {
  K_PLAIN = 0,
  K_SENS,       /* BLOCK when a GAR finding exists */
  K_NREC,       /* BLOCK when the sentence also claims a cure */
  K_ESP,        /* only when the physician has no RQE */
  K_CDC,        /* only when the paragraph cites no source */
  K_MED_BRAND,  /* BLOCK when the sentence has a purchase cue */
  K_NO_AMPLIFY, /* severity fixed */
};

typedef struct {
  const char* id;
  const char* title;
  int severity;
  int kind;
  const char* source;
  const char* remediation;
  const char* const* phrases;
} rule;

#define PHRASES(...) ((const char* const[]){__VA_ARGS__, 0})

static const char kRemGar01[] =
    "Não é permitido prometer ou garantir resultados (Res. CFM 2.336/2023, CEM art. 112; CP art. "
    "283). Descreva os benefícios esperados com base em evidências, informe que os resultados "
    "variam de pessoa para pessoa e cite a fonte.";
static const char kRemGar02[] =
    "Toda intervenção pode ter riscos. Remova a afirmação e informe os principais efeitos "
    "adversos, contraindicações e cuidados, ou use: \"Como todo procedimento/medicamento, pode "
    "causar efeitos adversos; converse com seu médico.\"";
static const char kRemTele02[] =
    "Ofertas de telemedicina devem seguir a Res. CFM 2.314/2022 (consentimento, prontuário, "
    "assinatura digital ICP-Brasil, possibilidade de encaminhamento presencial). Não ofereça "
    "atestados, receitas ou laudos sem ato médico.";
static const char kRemPreco[] =
    "É permitido informar o valor e as formas de pagamento da consulta e anunciar descontos em "
    "campanhas, sem pacotes, venda casada, sorteios, consórcios ou preços de procedimentos. Evite "
    "apelos de urgência.";
static const char kRemMed01[] =
    "Medicamentos de venda sob prescrição não podem ser promovidos ao público. Use o nome do "
    "princípio ativo, com caráter informativo e sem apelo de compra, e oriente a procurar o "
    "médico.";
static const char kRemNrec[] =
    "Tratamentos sem reconhecimento científico ou do CFM não podem ser divulgados ao público como "
    "eficazes. Remova a indicação terapêutica ou apresente apenas como pesquisa em andamento, com "
    "fontes.";
static const char kRemAnti[] =
    "Conteúdo que desestimula a vacinação ou tratamentos de eficácia comprovada não é permitido. "
    "Alinhe o texto às recomendações do Ministério da Saúde e das sociedades de especialidade, com "
    "fontes.";

static const rule kRules[] = {
    {"GAR-01", "Promessa ou garantia de resultado", SEV_BLOCK, K_PLAIN,
     "Res. CFM 2.336/2023 art. 11 IV; CEM art. 112; CP art. 283; CDC art. 37 §1", kRemGar01,
     PHRASES("cura garantida", "cura garantidas", "resultado garantido", "resultados garantidos",
             "garantia de resultado", "garantia de resultados", "garantimos o resultado",
             "garantimos resultados", "100% eficaz", "100% de eficacia", "eficacia de 100%",
             "cem por cento eficaz", "funciona em 100% dos casos", "sucesso garantido",
             "metodo infalivel", "tratamento infalivel", "cura definitiva",
             "elimina definitivamente", "acaba de vez com", "nunca mais tera", "livre para sempre",
             "resultado permanente", "resultados permanentes", "satisfacao garantida",
             "seu dinheiro de volta", "emagreca 10 kg em 30 dias", "rejuvenesca 10 anos",
             "resultados em 7 dias", "resolve em uma sessao", "cura em uma sessao")},
    {"GAR-02", "Ausência de riscos ou de efeitos adversos", SEV_BLOCK, K_PLAIN,
     "CEM art. 112; Res. CFM 2.336/2023 art. 14; RDC Anvisa 96/2008; CDC arts. 31 e 37 §3",
     kRemGar02,
     PHRASES("sem riscos", "sem risco nenhum", "sem nenhum risco", "risco zero", "100% seguro",
             "100% segura", "totalmente seguro", "totalmente segura", "absolutamente seguro",
             "sem efeitos colaterais", "sem efeito colateral", "nao tem efeito colateral",
             "nao tem efeitos colaterais", "sem contraindicacoes", "sem contraindicacao",
             "nao faz mal", "inofensivo", "inofensiva", "pode usar sem medo",
             "sem cortes e sem cicatrizes", "recuperacao imediata")},
    {"GAR-02", "Ausência de riscos ou de efeitos adversos", SEV_REVIEW, K_PLAIN,
     "CEM art. 112; RDC Anvisa 96/2008", kRemGar02, PHRASES("indolor", "sem dor")},
    {"SENS-01", "Sensacionalismo e alarmismo", SEV_REVIEW, K_SENS,
     "CEM art. 112; Res. CFM 2.336/2023; CDC art. 37 §2",
     "Evite linguagem sensacionalista ou alarmista. Use tom sóbrio e informativo, sem apelo ao "
     "medo, a \"segredos\" ou a soluções mágicas.",
     PHRASES("milagre", "milagres", "milagroso", "milagrosa", "milagrosos", "milagrosas",
             "revolucionario", "revolucionaria", "descoberta revolucionaria",
             "o segredo que os medicos nao contam", "o que a industria farmaceutica esconde",
             "a cura que escondem", "chocante", "voce nao vai acreditar", "urgente!",
             "alerta maximo", "antes que seja tarde demais", "unica esperanca", "formula magica",
             "truque simples", "medicos odeiam")},
    {"AUTO-01", "Autopromoção, superioridade e exclusividade", SEV_REVIEW, K_PLAIN,
     "Res. CFM 2.336/2023 art. 11 IX; CEM art. 112",
     "Retire superlativos e alegações de exclusividade ou superioridade. Descreva a técnica de "
     "forma objetiva, com indicações e limitações, sem comparação com outros profissionais.",
     PHRASES("o melhor medico", "a melhor medica", "o melhor cirurgiao", "a melhor cirurgia",
             "a melhor clinica", "o mais procurado", "a mais procurada", "referencia nacional",
             "numero 1", "n 1 em", "no 1 em", "o unico que", "a unica que", "unica clinica",
             "tecnica exclusiva", "metodo exclusivo", "protocolo exclusivo", "pioneiro", "pioneira",
             "pioneirismo", "excelencia incomparavel", "superior as demais",
             "mais avancado do brasil", "o mais experiente", "a mais experiente")},
    {"AUTO-02", "Equipamento com capacidade privilegiada ou sem registro na Anvisa", SEV_REVIEW,
     K_PLAIN, "Res. CFM 2.336/2023 art. 9 II e art. 11 II-III",
     "Apresente o equipamento somente com as indicações registradas na Anvisa, sem atribuir-lhe "
     "capacidade superior. Equipamentos ou medicamentos sem registro na Anvisa não podem ser "
     "divulgados.",
     PHRASES("aparelho mais moderno do mundo", "unico laser capaz de", "tecnologia exclusiva",
             "equipamento que garante", "ultima geracao que elimina", "tecnologia revolucionaria",
             "faz tudo sozinho", "chegou antes ao brasil")},
    {"AUTO-02", "Equipamento sem registro na Anvisa", SEV_BLOCK, K_NO_AMPLIFY,
     "Res. CFM 2.336/2023 art. 11 III",
     "Equipamentos ou medicamentos sem registro na Anvisa não podem ser divulgados.",
     PHRASES("ainda nao disponivel no brasil", "sem registro na anvisa",
             "nao registrado na anvisa")},
    {"ESP-01", "Especialidade anunciada sem RQE", SEV_BLOCK, K_ESP,
     "Res. CFM 2.336/2023 art. 4 II e art. 11 I; Decreto 8.516/2015",
     "Só é permitido anunciar especialidade ou área de atuação registrada no CRM, com o número do "
     "RQE. Sem RQE, remova \"especialista\" e a indicação de que trata órgãos ou doenças "
     "específicos.",
     PHRASES("sou especialista", "especialista em emagrecimento", "especialista em harmonizacao",
             "especialista em implante capilar", "trato doencas do coracao", "sou cardiologista",
             "sou dermatologista", "sou cirurgiao plastico", "sou cirurgia plastica",
             "sou psiquiatra", "sou endocrinologista", "sou ortopedista", "sou pediatra",
             "sou ginecologista", "medico do sono")},
    {"ESP-02", "Pós-graduação sem \"NÃO ESPECIALISTA\"", SEV_REVIEW, K_PLAIN, "Res. CFM 2.336/2023",
     "Pós-graduação lato sensu deve aparecer como currículo, seguida de \"NÃO ESPECIALISTA\" em "
     "caixa alta.",
     PHRASES("pos-graduacao em", "pos graduacao em", "pos-graduado em", "pos-graduada em",
             "pos graduado em", "pos graduada em", "especializacao lato sensu",
             "curso de aperfeicoamento em", "fellowship em")},
    {"IMG-01", "Imagens de pacientes / antes e depois", SEV_REVIEW, K_PLAIN,
     "Res. CFM 2.336/2023 art. 14; Manual de Publicidade Médica cap. 12; CEM art. 75; LGPD art. 11",
     "Resultados só podem ser mostrados com finalidade educativa: inclua indicações, fatores que "
     "influenciam o resultado e possíveis complicações; mostre ao menos 4 pacientes (resultados "
     "satisfatórios e insatisfatórios), sem edição, sem identificar o paciente e com autorização "
     "por escrito.",
     PHRASES("antes e depois", "antes x depois", "antes/depois", "resultado da paciente",
             "resultado do paciente", "resultado real", "olha como ficou", "veja a diferenca",
             "arraste para o lado", "case de sucesso", "resultado de hoje", "minha paciente",
             "meu paciente", "paciente feliz")},
    {"IMG-02", "Exposição de consulta ou procedimento em tempo real", SEV_BLOCK, K_NO_AMPLIFY,
     "Res. CFM 2.336/2023 art. 11 VIII",
     "Não é permitido expor consultas ou procedimentos em tempo real, mesmo com autorização do "
     "paciente (exceção: filmagem de parto nas condições da resolução).",
     PHRASES("ao vivo da sala de cirurgia", "live da cirurgia", "acompanhe em tempo real",
             "transmissao ao vivo do procedimento", "stories da consulta", "gravando a consulta",
             "direto do centro cirurgico", "cirurgia ao vivo", "assista a cirurgia completa",
             "entra na live que vou operar")},
    {"DEPO-01", "Depoimentos de pacientes", SEV_REVIEW, K_PLAIN,
     "Res. CFM 2.336/2023; CEM art. 112",
     "Depoimentos devem ser sóbrios: retire adjetivos de superioridade e frases que sugiram que "
     "outros pacientes terão o mesmo resultado.",
     PHRASES("melhor medico do mundo", "salvou minha vida", "me curou", "resultado perfeito",
             "recomendo de olhos fechados", "nunca mais senti dor", "unica que resolveu",
             "maos de fada", "genio da medicina")},
    {"PRECO-01", "Preço de procedimento, pacote, sorteio ou consórcio", SEV_BLOCK, K_NO_AMPLIFY,
     "Res. CFM 2.336/2023; Manual cap. 8; CEM art. 72; CDC arts. 30 e 37", kRemPreco,
     PHRASES("leve 2 pague 1", "combo", "pacote de sessoes", "pacote completo", "compre e ganhe",
             "sorteio", "rifa", "consorcio", "parcele seu procedimento", "preco de custo",
             "venda casada")},
    {"PRECO-01", "Campanha de desconto ou serviço gratuito", SEV_REVIEW, K_PLAIN,
     "Res. CFM 2.336/2023; Decreto-Lei 4.113/1942 art. 1 VI; CDC art. 37", kRemPreco,
     PHRASES("promocao", "% off", "desconto de", "black friday", "brinde", "indique e ganhe",
             "cashback", "consulta gratis", "consulta gratuita", "avaliacao gratuita",
             "avaliacao gratis", "primeira sessao gratis")},
    {"PROD-01", "Médico promovendo produto comercial", SEV_BLOCK, K_PLAIN,
     "Res. CFM 2.336/2023 art. 11 IV-V; CEM art. 115; CDC art. 36",
     "Médicos não podem endossar produtos comerciais nem conferir selo ou chancela. Remova marcas, "
     "cupons e links de venda e declare eventuais conflitos de interesse.",
     PHRASES("uso e recomendo", "recomendado por medicos", "aprovado pelo dr", "aprovado pela dra",
             "indicado por dermatologistas", "selo de qualidade", "codigo promocional",
             "link na bio para comprar", "parceria com a marca", "#publi", "meu suplemento",
             "minha linha de cosmeticos", "compre o kit", "cupom")},
    {"TELE-01", "Consulta, diagnóstico ou prescrição por meio de comunicação de massa", SEV_BLOCK,
     K_NO_AMPLIFY, "CEM art. 37; Decreto-Lei 4.113/1942 §2",
     "Não é permitido consultar, diagnosticar ou prescrever por redes sociais ou meios de "
     "comunicação de massa. Mantenha a orientação geral e educativa e recomende avaliação médica "
     "(presencial ou teleconsulta regular, conforme a Res. CFM 2.314/2022).",
     PHRASES("mande sua duvida no direct", "comente seus sintomas que eu respondo",
             "faco diagnostico pelo whatsapp", "envie a foto da lesao", "prescrevo pelo direct",
             "receita pelo whatsapp", "descubra qual doenca voce tem", "suspenda seu remedio",
             "pode dobrar a dose", "consulta pelo direct")},
    {"TELE-02", "Documento médico sem ato médico", SEV_BLOCK, K_NO_AMPLIFY,
     "Res. CFM 2.314/2022; CEM art. 80", kRemTele02,
     PHRASES("atestado online em", "atestado sem consulta", "compre seu atestado",
             "renovacao de receita sem consulta", "receita de controlado online", "laudo sem exame",
             "prescricao automatica", "atestado digital na hora")},
    {"TELE-02", "Oferta de telemedicina", SEV_REVIEW, K_PLAIN, "Res. CFM 2.314/2022", kRemTele02,
     PHRASES("nunca mais precisa ir ao consultorio", "medico pelo chat por")},
    {"NREC-01", "Tratamento sem reconhecimento científico", SEV_REVIEW, K_NREC,
     "CEM art. 113; Lei 12.842/2013 art. 7; Res. CFM 2.336/2023 art. 11 III", kRemNrec,
     PHRASES("tratamento experimental que cura", "cura o autismo", "celulas-tronco para autismo",
             "ozonioterapia cura", "soroterapia para imunidade", "soro da beleza", "chip da beleza",
             "implante hormonal para definicao", "modulacao hormonal", "cura quantica",
             "desintoxicacao de metais pesados", "cura do cancer sem quimioterapia",
             "fosfoetanolamina", "protocolo secreto")},
    {"ANTI-01", "Desestímulo à vacinação ou a tratamento comprovado", SEV_BLOCK, K_NO_AMPLIFY,
     "CEM arts. 112-113; CDC arts. 37 §2 e 68", kRemAnti,
     PHRASES("nao vacine seu filho", "nao vacine seus filhos", "vacina causa autismo",
             "vacinas causam autismo", "vacina altera o dna", "abandone a quimioterapia",
             "pare de tomar insulina", "troque seu remedio por cha", "largue o antidepressivo",
             "cure o diabetes sem remedio", "imunidade natural e melhor que vacina",
             "ivermectina previne")},
    {"ANTI-01", "Tratamento sem eficácia comprovada", SEV_REVIEW, K_PLAIN, "CEM arts. 112-113",
     kRemAnti, PHRASES("tratamento precoce")},
    {"MED-01", "Promoção de medicamento sob prescrição", SEV_BLOCK, K_NO_AMPLIFY,
     "Lei 6.360/1976 art. 58 §1; Lei 9.294/1996 art. 7; RDC Anvisa 96/2008", kRemMed01,
     PHRASES("tarja preta sem receita", "antibiotico sem receita", "remedio sem receita",
             "canetinha para emagrecer", "peca ao seu medico para receitar",
             "o melhor remedio para emagrecer e", "compre sem receita")},
    {"MED-01", "Medicamento sob prescrição citado pela marca", SEV_REVIEW, K_MED_BRAND,
     "Lei 6.360/1976 art. 58 §1; RDC Anvisa 96/2008", kRemMed01,
     PHRASES("ozempic", "wegovy", "saxenda", "mounjaro", "victoza", "rivotril", "roacutan",
             "sibutramina", "venvanse", "ritalina", "viagra", "cialis", "xenical", "zolpidem",
             "stilnox", "frontal", "lexapro", "zoloft", "tramal", "dormonid")},
    {"MED-02", "Publicidade de medicamento isento de prescrição", SEV_REVIEW, K_PLAIN,
     "RDC Anvisa 96/2008",
     "Em peça publicitária de MIP, inclua a advertência obrigatória e retire alegações de "
     "segurança absoluta, superioridade ou endosso de celebridades.",
     PHRASES("remedio sem efeitos colaterais", "pode tomar a vontade", "tome sem medo",
             "nao faz mal nenhum", "remedio natural, sem risco", "o mais eficaz do mercado",
             "o unico que funciona", "alivio imediato garantido",
             "aprovado pela anvisa, entao e seguro")},
    {"SUPL-01", "Alimento ou suplemento com alegação terapêutica", SEV_REVIEW, K_PLAIN,
     "RDC Anvisa 243/2018; IN 28/2018; Decreto-Lei 986/1969; CDC art. 37",
     "Alimentos e suplementos não podem alegar prevenir, tratar ou curar doenças. Use apenas "
     "alegações autorizadas pela Anvisa e não sugira substituir tratamento médico.",
     PHRASES("suplemento que cura", "cha que trata diabetes", "cura a ansiedade naturalmente",
             "substitui o remedio", "detox que elimina toxinas", "queima gordura localizada",
             "emagrecedor natural", "previne cancer", "previne o cancer",
             "aumenta a imunidade em 100%", "termogenico milagroso", "vitamina que reverte")},
    {"CDC-01", "Alegação factual sem fonte", SEV_REVIEW, K_CDC,
     "CDC arts. 6, 31, 37-38; CEM art. 112",
     "Toda afirmação factual deve ter fonte verificável (estudo, diretriz ou órgão oficial). "
     "Inclua a referência ou reformule de forma cautelosa.",
     PHRASES("comprovado cientificamente", "cientificamente comprovado", "estudos mostram",
             "estudos comprovam", "clinicamente testado", "aprovado por especialistas",
             "medicos recomendam", "a ciencia confirma", "pesquisa de harvard prova",
             "dermatologicamente testado", "eficacia comprovada")},
    {"CDC-02", "Publicidade não identificada e pressão de urgência", SEV_REVIEW, K_PLAIN,
     "CDC art. 36",
     "Conteúdo patrocinado deve ser identificado como publicidade (\"Publicidade\", \"#publi\"). "
     "Evite pressão de urgência em decisões de saúde.",
     PHRASES("so hoje", "ultimas vagas", "vai acabar", "garanta ja", "nao perca",
             "oferta relampago", "por tempo limitado", "vagas limitadas",
             "corre que esta acabando")},
    {"CONF-01", "Contatos ou patrocínio em conteúdo editorial", SEV_WARN, K_PLAIN,
     "Manual de Publicidade Médica, aplicação prática cap. 9",
     "Declare conflitos de interesse ao final do texto. Em artigos e entrevistas em veículos de "
     "terceiros, não inclua endereço, telefone ou links de agendamento — apenas nome, CRM/UF e "
     "RQE.",
     PHRASES("patrocinado", "em parceria com", "meu consultorio fica na",
             "link na bio para agendar", "chama no whatsapp")},
    {"BOL-01", "Boletim médico", SEV_REVIEW, K_PLAIN, "Res. CFM 2.336/2023",
     "Boletins devem ser sóbrios, impessoais e verídicos, autorizados pelo paciente ou família, "
     "assinados pelo médico assistente e pelo diretor técnico, sem detalhes além do necessário.",
     PHRASES("boletim medico", "segue internado", "segue internada", "quadro clinico do paciente")},
};

/* Warning frames that cancel a finding, and plain negations that soften it. */
static const char* const kFrames[] = {"desconfie",
                                      "cuidado com",
                                      "nao existe",
                                      "ninguem pode garantir",
                                      "ninguem garante",
                                      "e mito",
                                      "e um mito",
                                      "e falso",
                                      "golpe",
                                      "nao acredite",
                                      "fuja de",
                                      "nao caia",
                                      "nenhum tratamento",
                                      "nenhum medico",
                                      "e proibido",
                                      "nao e permitido",
                                      "sao proibidas",
                                      "sao proibidos",
                                      "evite",
                                      "nao prometa",
                                      "nunca prometa",
                                      0};
static const char* const kNegations[] = {"nao", "nunca", "jamais", "nem", 0};
static const char* const kCommercial[] = {
    "meu",         "minha",    "nosso", "nossa", "na clinica", "comigo", "agende",
    "link na bio", "whatsapp", "r$",    "cupom", "conosco",    0};
static const char* const kPurchase[] = {"compre",   "onde comprar", "preco",       "cupom",
                                        "desconto", "r$",           "sem receita", 0};
static const char* const kCitations[] = {"doi",         "pmid",
                                         "http",        "fonte",
                                         "fontes",      "referencia",
                                         "referencias", "segundo o ministerio",
                                         "diretriz",    0};

/* ---- folded text ---- */

typedef struct {
  char* s;     /* folded bytes */
  int64_t* cp; /* code point index of the original for each folded byte */
  size_t n;
  int64_t cp_end;
} folded;

static char fold_latin1(uint32_t c) {
  if (c >= 0xe0 && c <= 0xe5) return 'a';
  if (c >= 0xc0 && c <= 0xc5) return 'a';
  if (c == 0xe7 || c == 0xc7) return 'c';
  if ((c >= 0xe8 && c <= 0xeb) || (c >= 0xc8 && c <= 0xcb)) return 'e';
  if ((c >= 0xec && c <= 0xef) || (c >= 0xcc && c <= 0xcf)) return 'i';
  if (c == 0xf1 || c == 0xd1) return 'n';
  if ((c >= 0xf2 && c <= 0xf6) || (c >= 0xd2 && c <= 0xd6)) return 'o';
  if ((c >= 0xf9 && c <= 0xfc) || (c >= 0xd9 && c <= 0xdc)) return 'u';
  if (c == 0xba) return 'o'; /* º */
  if (c == 0xaa) return 'a'; /* ª */
  return ' ';
}

static folded fold(hcms_str t) {
  folded f;
  f.s = (char*)hcms_alloc(t.len + 1);
  f.cp = (int64_t*)hcms_alloc((t.len + 1) * sizeof(int64_t));
  f.n = 0;
  int64_t cp = 0;
  size_t i = 0;
  while (i < t.len) {
    unsigned char c = (unsigned char)t.ptr[i];
    char out;
    size_t len = 1;
    if (c < 0x80) {
      out = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
      if (out == '\t' || out == '\r') out = ' ';
    } else if ((c & 0xe0) == 0xc0 && i + 1 < t.len) {
      uint32_t u = ((uint32_t)(c & 0x1f) << 6) | ((unsigned char)t.ptr[i + 1] & 0x3f);
      out = fold_latin1(u);
      len = 2;
    } else {
      len = (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
      if (i + len > t.len) len = 1;
      uint32_t u = 0;
      if (len == 3) {
        u = ((uint32_t)(c & 0x0f) << 12) | (((unsigned char)t.ptr[i + 1] & 0x3f) << 6) |
            ((unsigned char)t.ptr[i + 2] & 0x3f);
      }
      /* typographic quotes and dashes keep their meaning; emoji and the rest separate words */
      out = (u == 0x2013 || u == 0x2014) ? '-' : (u >= 0x2018 && u <= 0x201f) ? '"' : ' ';
    }
    /* collapse runs of spaces (newlines are kept: they end sentences) */
    if (!(out == ' ' && f.n > 0 && (f.s[f.n - 1] == ' ' || f.s[f.n - 1] == '\n'))) {
      f.s[f.n] = out;
      f.cp[f.n] = cp;
      ++f.n;
    }
    ++cp;
    i += len;
  }
  f.s[f.n] = 0;
  f.cp[f.n] = cp;
  f.cp_end = cp;
  return f;
}

static int is_word(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static int is_sentence_end(char c) {
  return c == '.' || c == '!' || c == '?' || c == '\n' || c == ';';
}

/* Length of the match of `phrase` at f->s[i], or 0. */
static size_t match_at(const folded* f, size_t i, const char* phrase) {
  if (i > 0 && is_word(f->s[i - 1]) && is_word(phrase[0])) return 0;
  size_t k = 0;
  while (phrase[k] && phrase[k] != '*') {
    if (i + k >= f->n || f->s[i + k] != phrase[k]) return 0;
    ++k;
  }
  size_t end = i + k;
  if (phrase[k] == '*') {
    while (end < f->n && is_word(f->s[end])) ++end;
  } else if (k > 0 && is_word(phrase[k - 1]) && end < f->n && is_word(f->s[end])) {
    return 0;
  }
  return end - i;
}

/* True when any cue occurs (at word boundaries) in f->s[from..to). */
static int has_cue(const folded* f, size_t from, size_t to, const char* const* cues) {
  for (size_t i = from; i < to; ++i) {
    if (i > from && is_word(f->s[i - 1])) continue;
    for (int c = 0; cues[c]; ++c) {
      size_t m = match_at(f, i, cues[c]);
      if (m && i + m <= to) return 1;
    }
  }
  return 0;
}

static size_t sentence_start(const folded* f, size_t i) {
  while (i > 0 && !is_sentence_end(f->s[i - 1])) --i;
  return i;
}

static size_t sentence_end(const folded* f, size_t i) {
  while (i < f->n && !is_sentence_end(f->s[i])) ++i;
  return i;
}

static size_t paragraph_start(const folded* f, size_t i) {
  while (i > 0 && f->s[i - 1] != '\n') --i;
  return i;
}

static size_t paragraph_end(const folded* f, size_t i) {
  while (i < f->n && f->s[i] != '\n') ++i;
  return i;
}

/* Start of the window of up to `words` words before i, within the sentence. */
static size_t window_start(const folded* f, size_t i, int words) {
  size_t s = sentence_start(f, i);
  size_t j = i;
  int seen = 0;
  while (j > s && seen < words) {
    --j;
    while (j > s && !is_word(f->s[j])) --j;
    while (j > s && is_word(f->s[j - 1])) --j;
    ++seen;
  }
  return j;
}

typedef struct {
  const rule* r;
  int severity;
  size_t start, end; /* folded offsets */
} finding;

static const char* severity_name(int s) {
  return s == SEV_BLOCK ? "block" : s == SEV_REVIEW ? "needs_review" : "warn";
}

HCMS_EXPORT(validate) int validate(void) {
  hcms_begin();
  stage_input in;
  if (!stage_read_input(&in)) return 1;
  hcms_str text = stage_document_text(&in);
  folded f = fold(text);

  hcms_json physician = hcms_json_get(in.practice, "physician");
  hcms_str rqe = stage_str(physician, "rqe");
  hcms_str crm = stage_str(physician, "crm");
  hcms_str uf = stage_str(physician, "uf");
  hcms_str doctor = stage_str(physician, "name");
  hcms_json s11 = hcms_json_get(in.previous, "s1.1");
  int linked_person = hcms_json_bool(hcms_json_get(s11, "linked_person"), 0);

  const size_t max_findings = 512;
  finding* found = (finding*)hcms_alloc(max_findings * sizeof(finding));
  finding* quiet = (finding*)hcms_alloc(max_findings * sizeof(finding));
  size_t nfound = 0, nquiet = 0;
  const size_t nrules = sizeof kRules / sizeof kRules[0];

  /* Which rules have a phrase starting with each byte: most positions test none. */
  uint64_t starts[256];
  memset(starts, 0, sizeof starts);
  for (size_t r = 0; r < nrules; ++r) {
    for (int p = 0; kRules[r].phrases[p]; ++p) {
      starts[(unsigned char)kRules[r].phrases[p][0]] |= (uint64_t)1 << (r & 63);
    }
  }
  for (size_t i = 0; i < f.n; ++i) {
    if (i > 0 && is_word(f.s[i - 1]) && is_word(f.s[i])) continue;
    const uint64_t candidates = starts[(unsigned char)f.s[i]];
    if (candidates == 0) continue;
    for (size_t r = 0; r < nrules; ++r) {
      if ((candidates & ((uint64_t)1 << (r & 63))) == 0) continue;
      const rule* ru = &kRules[r];
      for (int p = 0; ru->phrases[p]; ++p) {
        if (ru->phrases[p][0] != f.s[i]) continue;
        size_t m = match_at(&f, i, ru->phrases[p]);
        if (!m) continue;
        size_t end = i + m;
        size_t ss = sentence_start(&f, i), se = sentence_end(&f, end);
        int sev = ru->severity;
        if (ru->kind == K_ESP && rqe.len > 0) break;
        if (ru->kind == K_CDC &&
            has_cue(&f, paragraph_start(&f, i), paragraph_end(&f, end), kCitations))
          break;
        size_t ws = window_start(&f, i, 6);
        if (has_cue(&f, ws, i, kFrames)) {
          if (nquiet < max_findings) quiet[nquiet++] = (finding){ru, sev, i, end};
          break;
        }
        int negated = has_cue(&f, ws, i, kNegations);
        if (ru->kind == K_NREC && has_cue(&f, ss, se, (const char* const[]){"cura", "curar", 0}))
          sev = SEV_BLOCK;
        if (ru->kind == K_MED_BRAND && has_cue(&f, ss, se, kPurchase)) sev = SEV_BLOCK;
        if (!negated && ru->kind != K_NO_AMPLIFY && sev < SEV_BLOCK &&
            has_cue(&f, ss, se, kCommercial))
          ++sev;
        if (negated) sev = SEV_WARN;
        if (nfound < max_findings) found[nfound++] = (finding){ru, sev, i, end};
        i = end > i ? end - 1 : i; /* continue after the match */
        goto next_position;
      }
    }
  next_position:;
  }

  /* SENS-01 is blocking next to a guarantee or a no-risk claim. */
  int has_gar = 0;
  for (size_t k = 0; k < nfound; ++k) {
    if (found[k].r->id[0] == 'G' && found[k].r->id[1] == 'A' && found[k].severity >= SEV_REVIEW)
      has_gar = 1;
  }
  for (size_t k = 0; k < nfound; ++k) {
    if (has_gar && found[k].r->kind == K_SENS && found[k].severity == SEV_REVIEW)
      found[k].severity = SEV_BLOCK;
  }

  int counts[4] = {0, 0, 0, 0};
  hcms_buf out = hcms_buf_new(4096);
  hcms_buf_cstr(&out, "{\"stage\":\"s1.2\",\"rules_version\":\"" RULES_VERSION "\",\"findings\":[");
  int first = 1;
#define EMIT_STRUCTURAL(ID, TITLE, SEV, SOURCE, REMEDIATION)                               \
  do {                                                                                     \
    if (!first) hcms_buf_char(&out, ',');                                                  \
    first = 0;                                                                             \
    counts[SEV]++;                                                                         \
    hcms_buf_cstr(&out, "{\"rule\":\"" ID "\",\"title\":");                                \
    hcms_buf_json_string(&out, TITLE, strlen(TITLE));                                      \
    hcms_buf_cstr(&out, ",\"severity\":\"");                                               \
    hcms_buf_cstr(&out, severity_name(SEV));                                               \
    hcms_buf_cstr(&out, "\",\"start\":null,\"end\":null,\"match\":null,\"remediation\":"); \
    hcms_buf_json_string(&out, REMEDIATION, strlen(REMEDIATION));                          \
    hcms_buf_cstr(&out, ",\"source\":");                                                   \
    hcms_buf_json_string(&out, SOURCE, strlen(SOURCE));                                    \
    hcms_buf_char(&out, '}');                                                              \
  } while (0)

  if (doctor.len == 0 || crm.len == 0 || uf.len == 0) {
    EMIT_STRUCTURAL("ID-01", "Identificação obrigatória do médico", SEV_BLOCK,
                    "Res. CFM 2.336/2023 art. 4 I-II",
                    "Inclua a identificação do médico responsável: Nome completo – MÉDICO(A) – "
                    "CRM/UF nº 000000 e, se citar especialidade, \"Especialidade – RQE nº 00000\". "
                    "Configure o médico responsável da clínica.");
  }
  if (linked_person) {
    EMIT_STRUCTURAL("PAC-01", "Paciente identificável", SEV_BLOCK,
                    "CEM arts. 73 e 75; Manual cap. 9; LGPD arts. 5 II e 11; CP art. 154",
                    "Remova qualquer dado que permita identificar o paciente (nome, iniciais, "
                    "idade exata, cidade, profissão, datas, imagem). Casos clínicos só podem ser "
                    "descritos de forma não identificável.");
  }
  for (size_t k = 0; k < nfound; ++k) {
    const finding* x = &found[k];
    if (!first) hcms_buf_char(&out, ',');
    first = 0;
    counts[x->severity]++;
    hcms_buf_cstr(&out, "{\"rule\":");
    hcms_buf_json_string(&out, x->r->id, strlen(x->r->id));
    hcms_buf_cstr(&out, ",\"title\":");
    hcms_buf_json_string(&out, x->r->title, strlen(x->r->title));
    hcms_buf_cstr(&out, ",\"severity\":\"");
    hcms_buf_cstr(&out, severity_name(x->severity));
    int64_t cs = f.cp[x->start], ce = f.cp[x->end];
    hcms_buf_cstr(&out, "\",\"start\":");
    hcms_buf_int(&out, cs);
    hcms_buf_cstr(&out, ",\"end\":");
    hcms_buf_int(&out, ce);
    /* the matched span of the original text */
    size_t bs = 0, be = 0;
    int64_t c = 0;
    for (size_t b = 0; b <= text.len; ++b) {
      if (b == text.len || ((unsigned char)text.ptr[b] & 0xc0) != 0x80) {
        if (c == cs) bs = b;
        if (c == ce) {
          be = b;
          break;
        }
        ++c;
      }
    }
    hcms_buf_cstr(&out, ",\"match\":");
    hcms_buf_json_string(&out, text.ptr + bs, be > bs ? be - bs : 0);
    hcms_buf_cstr(&out, ",\"remediation\":");
    hcms_buf_json_string(&out, x->r->remediation, strlen(x->r->remediation));
    hcms_buf_cstr(&out, ",\"source\":");
    hcms_buf_json_string(&out, x->r->source, strlen(x->r->source));
    hcms_buf_char(&out, '}');
  }
  hcms_buf_cstr(&out, "],\"suppressed\":[");
  for (size_t k = 0; k < nquiet; ++k) {
    if (k) hcms_buf_char(&out, ',');
    hcms_buf_cstr(&out, "{\"rule\":");
    hcms_buf_json_string(&out, quiet[k].r->id, strlen(quiet[k].r->id));
    hcms_buf_cstr(&out, ",\"start\":");
    hcms_buf_int(&out, f.cp[quiet[k].start]);
    hcms_buf_cstr(&out, ",\"end\":");
    hcms_buf_int(&out, f.cp[quiet[k].end]);
    hcms_buf_cstr(&out, ",\"reason\":\"negation\"}");
  }
  const char* status = counts[SEV_BLOCK] ? "block" : counts[SEV_REVIEW] ? "needs_review" : "pass";
  hcms_buf_cstr(&out, "],\"counts\":{\"block\":");
  hcms_buf_int(&out, counts[SEV_BLOCK]);
  hcms_buf_cstr(&out, ",\"review\":");
  hcms_buf_int(&out, counts[SEV_REVIEW]);
  hcms_buf_cstr(&out, ",\"warn\":");
  hcms_buf_int(&out, counts[SEV_WARN]);
  hcms_buf_cstr(&out, "},\"status\":\"");
  hcms_buf_cstr(&out, status);
  hcms_buf_cstr(&out, "\",\"medical_validation_passed\":");
  hcms_buf_cstr(&out, counts[SEV_BLOCK] ? "false" : "true");
  hcms_buf_char(&out, '}');
  hcms_output(out.ptr, out.len);
  return 0;
}
