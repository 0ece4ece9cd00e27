#include "lgpd/patterns.h"

#include <string_view>

#include <hs.h>

namespace hcms::lgpd::internal {

namespace {

// Building blocks, in Vectorscan syntax over UTF-8 bytes.
// Separator inside a number: space, dot, hyphen, NBSP, thin/narrow NBSP, dashes.
constexpr std::string_view kSep = R"((?:[ .\-]|\xC2\xA0|\xE2\x80[\x89\x90-\x94\xAF]))";
// A hyphen or a Unicode dash.
constexpr std::string_view kDash = R"((?:-|\xE2\x80[\x90-\x94]))";
// A horizontal space, NBSP included.
constexpr std::string_view kSp = R"((?:[ \t]|\xC2\xA0))";
// "nº", "n°", "no.", "n." before a number.
constexpr std::string_view kNum = R"((?:[nN](?:\xC2[\xBA\xB0]|[oO])?\.?[ \t]*)?)";
// An upper-case letter, ASCII or Latin-1 (À-Þ without ×).
constexpr std::string_view kUpper = R"((?:[A-Z]|\xC3[\x80-\x96\x98-\x9E]))";

std::string Expand(std::string_view tmpl) {
  std::string out;
  out.reserve(tmpl.size() * 2);
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      const size_t close = tmpl.find('}', i);
      const std::string_view name = tmpl.substr(i + 1, close - i - 1);
      if (name == "SEP") {
        out += kSep;
      } else if (name == "DASH") {
        out += kDash;
      } else if (name == "SP") {
        out += kSp;
      } else if (name == "NUM") {
        out += kNum;
      } else if (name == "UPPER") {
        out += kUpper;
      } else {
        out.append(tmpl.substr(i, close - i + 1));  // a regex repeat such as {3}
      }
      i = close;
    } else {
      out.push_back(tmpl[i]);
    }
  }
  return out;
}

// The base letter of a Latin-1 lower-case accented letter (second UTF-8 byte).
char BaseLetter(unsigned char b) {
  if (b >= 0xA0 && b <= 0xA5) return 'a';
  if (b == 0xA7) return 'c';
  if (b >= 0xA8 && b <= 0xAB) return 'e';
  if (b >= 0xAC && b <= 0xAF) return 'i';
  if (b >= 0xB2 && b <= 0xB6) return 'o';
  if (b >= 0xB9 && b <= 0xBC) return 'u';
  return 0;
}

void AppendHex(std::string& out, unsigned char b) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out.push_back(kHex[b >> 4]);
  out.push_back(kHex[b & 15]);
}

// A context word or phrase as a caseless, accent-insensitive expression:
// "diagnóstico" also matches "DIAGNÓSTICO" and "diagnostico"; a space matches any
// run of spaces; a final ASCII letter gets a word boundary.
std::string WordExpression(std::string_view word, bool boundary_end = true) {
  std::string out;
  const auto first = static_cast<unsigned char>(word.front());
  if (first < 0x80 && std::isalnum(first)) out += "\\b";
  for (size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c == 0xC3 && i + 1 < word.size()) {
      const auto b = static_cast<unsigned char>(word[i + 1]);
      out += "(?:";
      AppendHex(out, 0xC3);
      AppendHex(out, b);
      out += "|";
      AppendHex(out, 0xC3);
      AppendHex(out, static_cast<unsigned char>(b - 0x20));
      if (char base = BaseLetter(b)) {
        out += "|";
        out.push_back(base);
      }
      out += ")";
      ++i;
    } else if (c == ' ') {
      out += "\\s+";
    } else if (c == '.' || c == '(' || c == ')' || c == '-' || c == '?' || c == '+') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  const auto last = static_cast<unsigned char>(word.back());
  if (boundary_end && last < 0x80 && std::isalnum(last)) out += "\\b";
  return out;
}

// Common Brazilian first names (IBGE Censo 2010 most frequent), for names written
// without a cue word ("Maria Aparecida Souza").
constexpr std::string_view kFirstNames[] = {
    "Maria",     "José",       "Ana",       "João",      "Antônio",    "Antonio",   "Francisco",
    "Carlos",    "Paulo",      "Pedro",     "Lucas",     "Luiz",       "Luís",      "Luis",
    "Marcos",    "Gabriel",    "Rafael",    "Francisca", "Daniel",     "Marcelo",   "Bruno",
    "Eduardo",   "Felipe",     "Raimundo",  "Rodrigo",   "Antônia",    "Antonia",   "Adriana",
    "Juliana",   "Márcia",     "Marcia",    "Fernanda",  "Patrícia",   "Patricia",  "Aline",
    "Sandra",    "Camila",     "Amanda",    "Bruna",     "Jéssica",    "Jessica",   "Letícia",
    "Leticia",   "Júlia",      "Julia",     "Luciana",   "Vanessa",    "Mariana",   "Gabriela",
    "Vera",      "Vitória",    "Larissa",   "Cláudia",   "Claudia",    "Beatriz",   "Rita",
    "Luana",     "Sônia",      "Sonia",     "Renata",    "Eliane",     "Josefa",    "Simone",
    "Natália",   "Natalia",    "Cristiane", "Carla",     "Débora",     "Rosângela", "Jaqueline",
    "Rosa",      "Daniela",    "Aparecida", "Marlene",   "Terezinha",  "Raimunda",  "Andréia",
    "Fabiana",   "Lúcia",      "Lucia",     "Raquel",    "Ângela",     "Angela",    "Rafaela",
    "Joana",     "Luzia",      "Elaine",    "Daniele",   "Regina",     "Daiane",    "Carolina",
    "Tatiane",   "Manoel",     "Jorge",     "Alexandre", "André",      "Andre",     "Fernando",
    "Fábio",     "Fabio",      "Leonardo",  "Gustavo",   "Guilherme",  "Leandro",   "Tiago",
    "Thiago",    "Anderson",   "Ricardo",   "Márcio",    "Marcio",     "Jonas",     "Sebastião",
    "Roberto",   "Diego",      "Matheus",   "Mateus",    "Vinícius",   "Vinicius",  "Sérgio",
    "Sergio",    "Severino",   "Cícero",    "Joaquim",   "Benedito",   "Henrique",  "Igor",
    "Heitor",    "Arthur",     "Miguel",    "Davi",      "Bernardo",   "Samuel",    "Enzo",
    "Helena",    "Alice",      "Laura",     "Manuela",   "Valentina",  "Sophia",    "Isabela",
    "Heloísa",   "Lorena",     "Lívia",     "Giovanna",  "Cecília",    "Eloá",      "Lara",
    "Yasmin",    "Isadora",    "Clara",     "Otávio",    "Murilo",     "Caio",      "Vitor",
    "Victor",    "Wellington", "Edson",     "Nelson",    "Osvaldo",    "Geraldo",   "Benedita",
    "Conceição", "Luciano",    "Cristina",  "Mônica",    "Monica",     "Silvia",    "Sílvia",
    "Tereza",    "Teresa",     "Lourdes",   "Irene",     "Alessandra", "Priscila",  "Karina",
    "Kátia",     "Katia",      "Denise",    "Roberta",   "Viviane",    "Ivone",     "Edna",
};

std::string FirstNamesExpression() {
  std::string alt;
  for (std::string_view n : kFirstNames) {
    if (!alt.empty()) alt += "|";
    for (unsigned char c : n) {
      if (c >= 0x80) {
        AppendHex(alt, c);
      } else {
        alt.push_back(static_cast<char>(c));
      }
    }
  }
  return "\\b(?:" + alt + ")" + Expand("{SP}+{UPPER}");
}

struct ContextList {
  Ctx ctx;
  bool caseless;
  std::vector<std::string_view> words;
};

const std::vector<ContextList>& ContextLists() {
  static const std::vector<ContextList> lists = {
      {Ctx::kCpf,
       true,
       {"cpf", "c.p.f", "cpf/mf", "cadastro de pessoa física", "cadastro de pessoas físicas",
        "portador do", "inscrito no"}},
      {Ctx::kCnpj, true, {"cnpj", "c.n.p.j", "razão social", "inscrição", "pessoa jurídica"}},
      {Ctx::kCns,
       true,
       {"cns", "cartão sus", "cartão do sus", "cartão nacional de saúde", "nº sus", "sus"}},
      {Ctx::kTitulo, true, {"título", "eleitor", "eleitoral", "zona", "seção"}},
      {Ctx::kPis, true, {"pis", "pasep", "nis", "nit", "cadúnico", "pis/pasep"}},
      {Ctx::kRg,
       true,
       {"rg", "identidade", "ssp", "órgão emissor", "carteira de identidade", "registro geral"}},
      {Ctx::kPhone,
       true,
       {"tel", "tel.", "telefone", "telefones", "cel", "cel.", "celular", "whatsapp", "zap", "fone",
        "contato", "contatos", "ligar", "ligue", "ramal", "telefonar"}},
      {Ctx::kCep, true, {"cep", "endereço", "residente", "mora", "reside"}},
      {Ctx::kDob,
       true,
       {"dn", "d.n.", "ddn", "data de nascimento", "nascido", "nascida", "nasc.", "nasc",
        "nascimento", "nasceu", "nascido(a)"}},
      {Ctx::kCid,
       true,
       {"cid", "cid-10", "cid10", "cid 10", "diagnóstico", "hd", "hd:", "dx",
        "dx:", "hipótese diagnóstica", "diagnosticado", "diagnosticada", "diagnósticos"}},
      {Ctx::kCard,
       true,
       {"cartão", "crédito", "débito", "final", "validade", "cvv", "bandeira", "visa", "mastercard",
        "amex", "elo", "hipercard"}},
      {Ctx::kPlate,
       true,
       {"placa", "placas", "veículo", "carro", "moto", "motocicleta", "atropelamento", "automóvel",
        "caminhão"}},
      {Ctx::kIp, true, {"ip", "endereço ip", "acesso", "acessou", "servidor", "log", "logs"}},
      {Ctx::kNegative,
       true,
       {"lote",   "protocolo", "pedido", "código", "cód",        "nota fiscal", "anvisa",
        "versão", "processo",  "boleto", "série",  "serie",      "nsu",         "isbn",
        "issn",   "doi",       "pmid",   "ref",    "referência", "patrimônio",  "mg",
        "ml",     "mmhg",      "sku",    "ean",    "modelo",     "apólice"}},
      {Ctx::kPersonCue,
       true,
       {"paciente",
        "pacientes",
        "pcte",
        "pct",
        "pte",
        "nome:",
        "nome social:",
        "nome da mãe:",
        "mãe:",
        "pai:",
        "genitora",
        "genitor",
        "acompanhante",
        "responsável:",
        "identificado como",
        "identificada como",
        "menor",
        "criança",
        "filho de",
        "filha de",
        "rn de",
        "esposa",
        "marido",
        "viúva de",
        "beneficiário",
        "titular"}},
      {Ctx::kPersonCue, false, {"Sr.", "Sra.", "Srta.", "Sr", "Sra", "Dona", "Eu,"}},
      {Ctx::kPersonCueWeak,
       true,
       {"seu", "mãe", "pai", "irmão", "irmã", "avó", "avô", "neto", "neta", "sobrinho", "sobrinha",
        "tio", "tia"}},
      {Ctx::kPersonCueWeak, false, {"D."}},
      {Ctx::kProfCue,
       false,
       {"Dr.", "Dra.", "Dr", "Dra", "Prof.", "Profa.", "Enf.", "Enfa.", "Psic.", "Drª"}},
      {Ctx::kProfCue,
       true,
       {"autor:", "autora:", "revisor:", "revisora:", "revisado por", "escrito por",
        "responsável técnico", "responsável técnica", "médico responsável", "médica responsável",
        "diretor técnico", "diretora técnica"}},
      {Ctx::kInstitution,
       true,
       {"hospital",    "instituto",  "rua",        "r.",        "avenida",     "av.",
        "praça",       "alameda",    "travessa",   "rodovia",   "escola",      "universidade",
        "faculdade",   "fundação",   "clínica",    "centro",    "edifício",    "colégio",
        "laboratório", "santa casa", "unidade",    "ubs",       "upa",         "policlínica",
        "associação",  "sociedade",  "prêmio",     "doença de", "síndrome de", "mal de",
        "sinal de",    "teste de",   "manobra de", "escala de", "método",      "técnica de",
        "reação de",   "tétrade de", "lei",        "bairro",    "cidade de",   "município de",
        "estado de",   "vila",       "jardim",     "parque",    "hotel",       "shopping",
        "igreja",      "paróquia",   "capela"}},
  };
  return lists;
}

}  // namespace

const std::vector<Pattern>& Patterns() {
  static const std::vector<Pattern> patterns = [] {
    std::vector<Pattern> v;
    auto add = [&](Kind k, std::string_view tmpl, unsigned flags = 0) {
      v.push_back({Expand(tmpl), flags, false, static_cast<uint8_t>(k)});
    };
    add(Kind::kCpf, R"(\d{3}{SEP}?\d{3}{SEP}?\d{3}{SEP}?\d{2})");
    add(Kind::kCnpj, R"(\d{2}{SEP}?\d{3}{SEP}?\d{3}(?:/|{SEP})?\d{4}{SEP}?\d{2})");
    add(Kind::kCnpjAlnum, R"([0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}/?[0-9A-Z]{4}{DASH}?\d{2})");
    add(Kind::kCns, R"([1-9]\d{2}{SEP}?\d{4}{SEP}?\d{4}{SEP}?\d{4})");
    add(Kind::kTitulo, R"(\d{4}{SEP}?\d{4}{SEP}?\d{4})");
    add(Kind::kPis, R"(\d{3}{SEP}?\d{5}{SEP}?\d{2}{SEP}?\d)");
    add(Kind::kRgSp, R"(\d{1,2}\.\d{3}\.\d{3}{DASH}[\dXx])");
    add(Kind::kRgCue,
        R"((?:\b(?:RG|rg|Rg|R\.G\.|RNE)|[Ii]dentidade)[ \t]*{NUM}[:\-]?[ \t]*(?:[A-Z]{2}[ \t]?-?[ \t]?)?\d{1,2}\.?\d{3}\.?\d{3}(?:{DASH}?[\dXx])?)");
    add(Kind::kCrm,
        R"(\b(?:CRM|CREME[A-Z]{1,3})(?:[ \t]?[\-/][ \t]?|[ \t])?(?:[A-Z]{2}[ \t]?)?{NUM}:?[ \t]*(?:\d{2}\.\d{5}-\d|\d{1,3}\.\d{3}|\d{1,7})(?:[ \t]?[\-/][ \t]?[A-Z]{2}\b)?)");
    add(Kind::kCrp,
        R"(\bCRP(?:[ \t]?[\-/][ \t]?|[ \t])?{NUM}:?[ \t]*\d{2}[ \t]?[/\-][ \t]?\d{1,6})");
    add(Kind::kCoren,
        R"(\bCOREN(?:[ \t]?[\-/][ \t]?|[ \t])?[A-Z]{2}[ \t]?{NUM}:?[ \t]*(?:\d{1,3}\.\d{3}|\d{1,7})(?:[ \t]?-[ \t]?(?:ENF|TE|AE|OBST|IR)\b)?)");
    add(Kind::kPhone,
        R"((?:\+{SP}?55{SP}?)?(?:\({SP}?0?\d{2}{SP}?\)|0?\d{2}|0[xX]{2}\d{2}){SEP}?(?:9{SP}?)?\d{4}{SEP}?\d{4})");
    add(Kind::kPhoneLocal, R"((?:9{SP}?)?\d{4}{DASH}\d{4})");
    add(Kind::kEmail, R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)+)");
    add(Kind::kEmailObfuscated,
        R"([A-Za-z0-9._\-]+{SP}?[\[\(]{SP}?(?i:arroba|at){SP}?[\]\)]{SP}?[A-Za-z0-9\-]+(?:{SP}?[\[\(]{SP}?(?i:ponto|dot){SP}?[\]\)]{SP}?[A-Za-z0-9\-]+)+)");
    add(Kind::kCep, R"((?:\d{5}|\d{2}\.\d{3}){DASH}\d{3})");
    add(Kind::kCepCue, R"(\b(?i:cep)[ \t]*:?[ \t]*\d{8})");
    add(Kind::kDateNumeric, R"(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2}))");
    add(Kind::kDateLong,
        R"(\d{1,2}(?:\xC2\xBA|o)?{SP}+(?i:de){SP}+(?i:janeiro|fevereiro|mar(?:\xC3\xA7|c)o|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro){SP}+(?i:de){SP}+\d{4})");
    add(Kind::kDateLong,
        R"(\d{1,2}/(?i:jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez)/(?:\d{4}|\d{2}))");
    add(Kind::kDateIso, R"(\d{4}-\d{2}-\d{2})");
    add(Kind::kCid, R"([A-Z]\d{2}(?:\.?\d)?)");
    add(Kind::kCardGrouped, R"(\d{4}{SEP}\d{4}{SEP}\d{4}{SEP}\d{4}(?:{SEP}\d{1,3})?)");
    add(Kind::kCardGrouped, R"(3[47]\d{2}{SEP}\d{6}{SEP}\d{5})");
    add(Kind::kCardBare, R"(\d{13,19})");
    add(Kind::kIpv4, R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})");
    add(Kind::kIpv6, R"([0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]{1,35})");
    add(Kind::kPlateOld, R"([A-Z]{3}(?:-|{SP})?\d{4})");
    add(Kind::kPlateMercosul, R"([A-Z]{3}\d[A-Z]\d{2})");
    v.push_back({FirstNamesExpression(), 0, false, static_cast<uint8_t>(Kind::kGazetteerName)});

    for (const ContextList& list : ContextLists()) {
      for (std::string_view w : list.words) {
        v.push_back({WordExpression(w), list.caseless ? HS_FLAG_CASELESS : 0u, true,
                     static_cast<uint8_t>(list.ctx)});
      }
    }
    return v;
  }();
  return patterns;
}

}  // namespace hcms::lgpd::internal
