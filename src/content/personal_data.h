// Personal-data scanning of content with the LGPD detector (#5).
//
// ScanForPersonalData analyses a post's text (title, body, excerpt) and, when it
// finds personal data that is not a professional byline, records a summary in the
// post's meta under kPersonalDataMetaKey: {"risk_score", "status", "types": {"cpf": 1}}
// — types and counts only, never the values. The importer flags every imported post
// this way; the publish gate that refuses unhandled personal data is #5's.

#pragma once

#include <string_view>

#include "content/model.h"
#include "content/wxr.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::content {

inline constexpr std::string_view kPersonalDataMetaKey = "_hcms_personal_data";

// True when the post was flagged.
Result<bool> ScanForPersonalData(store::Connection& c, int64_t tenant_id, const Post& post);

// On every save of a post's text: the same summary plus "scanned_at" and "revision_id",
// written when something is found and removed when nothing is (so a fixed post leaves
// the compliance alerts). Returns whether the post is flagged.
Result<bool> RefreshPersonalDataSummary(store::Connection& c, int64_t tenant_id, const Post& post,
                                        std::string_view scanned_at);

// The scanner the importer uses.
ImportScanner PersonalDataImportScanner();

}  // namespace hcms::content
