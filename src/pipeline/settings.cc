#include "pipeline/settings.h"

#include <array>

namespace hcms::pipeline {

namespace {

constexpr std::string_view kSelect = "SELECT settings FROM pipeline_settings WHERE tenant_id = $1";
constexpr std::string_view kUpsert =
    "INSERT INTO pipeline_settings (tenant_id, settings, updated_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, "
    "updated_at = excluded.updated_at";

constexpr std::array<std::string_view, 27> kUfs = {
    "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
    "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"};
constexpr std::array<std::string_view, 6> kNotices = {
    "informative", "emergency", "mental_health", "conflict_of_interest", "dates", "telemedicine"};

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "HH:MM", 00:00 to 23:59; minutes since midnight, or -1.
int Minutes(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

bool HexColour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

bool Digits(const std::string& s, size_t lo, size_t hi) {
  if (s.size() < lo || s.size() > hi) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<nlohmann::json> ValidateSettings(const nlohmann::json& in) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed",
          "As configurações do pipeline são inválidas.");
  nlohmann::json out = nlohmann::json::object();
  if (!in.is_object()) {
    e.WithField("settings", "invalid_format", "Esperado um objeto JSON.");
    return std::unexpected(std::move(e));
  }
  auto text = [](const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto p = in.find("physician"); p != in.end()) {
    if (!p->is_object()) {
      e.WithField("physician", "invalid_format");
    } else {
      nlohmann::json ph = nlohmann::json::object();
      const std::string name = text(*p, "name"), crm = text(*p, "crm"), uf = text(*p, "uf"),
                        rqe = text(*p, "rqe"), specialty = text(*p, "specialty"),
                        gender = text(*p, "gender");
      if (name.empty() || name.size() > 200) e.WithField("physician.name", "required");
      if (!Digits(crm, 1, 10)) e.WithField("physician.crm", "invalid_format", "Somente dígitos.");
      if (std::find(kUfs.begin(), kUfs.end(), uf) == kUfs.end()) {
        e.WithField("physician.uf", "invalid_format", "UF inválida.");
      }
      if (!rqe.empty() && !Digits(rqe, 1, 10)) e.WithField("physician.rqe", "invalid_format");
      if (!rqe.empty() && specialty.empty()) {
        e.WithField("physician.specialty", "required", "Informe a especialidade do RQE.");
      }
      if (!gender.empty() && gender != "f" && gender != "m") {
        e.WithField("physician.gender", "invalid_format", "Use \"f\", \"m\" ou vazio.");
      }
      ph = {{"name", name}, {"crm", crm}, {"uf", uf}};
      if (!rqe.empty()) ph["rqe"] = rqe;
      if (!specialty.empty()) ph["specialty"] = specialty;
      if (!gender.empty()) ph["gender"] = gender;
      out["physician"] = ph;
    }
  }
  if (auto d = in.find("disclaimers"); d != in.end()) {
    nlohmann::json list = nlohmann::json::array();
    if (!d->is_array()) {
      e.WithField("disclaimers", "invalid_format");
    } else {
      for (const auto& v : *d) {
        if (!v.is_string() ||
            std::find(kNotices.begin(), kNotices.end(), v.get<std::string>()) == kNotices.end()) {
          e.WithField("disclaimers", "invalid_value");
          break;
        }
        list.push_back(v);
      }
    }
    out["disclaimers"] = list;
  }
  if (auto c = in.find("conflict_of_interest"); c != in.end()) {
    if (!c->is_string() || c->get<std::string>().size() > 2000) {
      e.WithField("conflict_of_interest", "invalid_format");
    } else {
      out["conflict_of_interest"] = *c;
    }
  }
  if (auto t = in.find("legal_review_threshold"); t != in.end()) {
    if (!t->is_number_integer() || t->get<int>() < 0 || t->get<int>() > 100) {
      e.WithField("legal_review_threshold", "out_of_range", "Entre 0 e 100.");
    } else {
      out["legal_review_threshold"] = *t;
    }
  }
  if (auto s = in.find("stages"); s != in.end()) {
    if (!s->is_object()) {
      e.WithField("stages", "invalid_format");
    } else {
      for (const auto& [stage, plugin] : s->items()) {
        const bool known = stage == "s1.1" || stage == "s1.2" || stage == "s1.3" ||
                           stage == "s1.4" || stage == "s1.5";
        if (!known || !plugin.is_string() || plugin.get<std::string>().empty()) {
          e.WithField("stages", "invalid_value");
          break;
        }
        out["stages"][stage] = plugin;
      }
    }
  }
  // Opening hours shown on the public site: [{"day": "mon", "opens": "08:00",
  // "closes": "12:00"}, ...], at most two intervals a day.
  if (auto w = in.find("working_hours"); w != in.end()) {
    nlohmann::json list = nlohmann::json::array();
    if (!w->is_array() || w->size() > 14) {
      e.WithField("working_hours", "invalid_format", "Até dois horários por dia.");
    } else {
      for (const auto& h : *w) {
        const std::string day = h.is_object() ? text(h, "day") : std::string();
        const int opens = h.is_object() ? Minutes(text(h, "opens")) : -1;
        const int closes = h.is_object() ? Minutes(text(h, "closes")) : -1;
        if (std::find(kDays.begin(), kDays.end(), day) == kDays.end() || opens < 0 ||
            closes <= opens) {
          e.WithField("working_hours", "invalid_value",
                      "Informe o dia e os horários de abertura e fechamento (HH:MM).");
          break;
        }
        list.push_back({{"day", day}, {"opens", text(h, "opens")}, {"closes", text(h, "closes")}});
      }
    }
    out["working_hours"] = list;
  }
  // Branding of the public site: the main colour and a short tagline.
  if (auto b = in.find("branding"); b != in.end()) {
    if (!b->is_object()) {
      e.WithField("branding", "invalid_format");
    } else {
      nlohmann::json brand = nlohmann::json::object();
      const std::string colour = text(*b, "primary_color"), tagline = text(*b, "tagline");
      if (!colour.empty() && !HexColour(colour)) {
        e.WithField("branding.primary_color", "invalid_format", "Use #rrggbb.");
      } else if (!colour.empty()) {
        brand["primary_color"] = colour;
      }
      if (tagline.size() > 200) {
        e.WithField("branding.tagline", "too_long", "Até 200 caracteres.");
      } else if (!tagline.empty()) {
        brand["tagline"] = tagline;
      }
      out["branding"] = brand;
    }
  }
  for (const char* k : {"name", "url"}) {
    if (auto v = in.find(k); v != in.end() && v->is_string()) out[k] = *v;
  }
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return out;
}

Result<nlohmann::json> SettingsRepository::Get(int64_t tenant_id) {
  HCMS_TRY(auto row,
           db_.Run([&](store::Connection& c) { return c.QueryOne(kSelect, {tenant_id}); }));
  if (!row) return nlohmann::json::object();
  auto j = nlohmann::json::parse(row->Text(0), nullptr, false);
  if (j.is_discarded()) return Internal("pipeline_settings is not JSON");
  return j;
}

Result<nlohmann::json> SettingsRepository::Put(int64_t tenant_id, const nlohmann::json& settings) {
  HCMS_TRY(nlohmann::json clean, ValidateSettings(settings));
  HCMS_CHECK(db_.Run([&](store::Connection& c) -> Status {
    HCMS_TRY(auto n, c.Execute(kUpsert, {tenant_id, clean.dump(), FormatTimestamp(clock_.Now())}));
    (void)n;
    return Ok();
  }));
  return clean;
}

}  // namespace hcms::pipeline
