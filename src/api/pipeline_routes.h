// Routes of the plugin registry and the medical pipeline (issue #6):
//
//   POST  /api/v1/plugins                      upload {manifest, wasm_base64}   manage_settings
//   GET   /api/v1/plugins                      uploaded + built-in plugins      manage_settings
//   GET   /api/v1/plugins/status               calls, errors, latency           manage_settings
//   PATCH /api/v1/plugins/{id}                 {enabled}                        manage_settings
//   POST  /api/v1/plugins/{id}/execute         {function, input}                manage_settings
//   GET   /api/v1/pipeline/settings            practice settings                manage_settings
//   PUT   /api/v1/pipeline/settings                                             manage_settings
//   POST  /api/v1/pipeline/runs                {post_id}: a run of the post's   create_content
//                                              current revision (stored text)
//   POST  /api/v1/posts/{id}/pipeline          the same, post in the path       create_content
//   GET   /api/v1/posts/{id}/compliance        pipeline standing of the current read_content
//                                              revision + personal-data summary
//   POST  /api/v1/posts/{id}/legal-bases       {type?, basis}: a reviewer's     review_content
//                                              LGPD legal basis for the post
//   GET   /api/v1/compliance/alerts            posts with personal data found   read_content
//                                              (types and counts, no values)
//   GET   /api/v1/pipeline/runs/{id}           run, steps, outputs              read_content
//   GET   /api/v1/pipeline/runs/{id}/audit     content_processing_log rows      review_content
//   POST  /api/v1/pipeline/runs/{id}/steps/{stage}/approve | /reject           review_content
//
// Plugin management is confidential (trust 70); the pipeline works on internal data.

#pragma once

#include <functional>
#include <string>

#include "api/api.h"
#include "content/service.h"
#include "pipeline/orchestrator.h"
#include "plugins/plugin_host.h"
#include "plugins/registry.h"

namespace hcms::api {

struct PipelineServices {
  plugins::PluginRegistry& registry;
  plugins::PluginHost& host;
  pipeline::Orchestrator& orchestrator;
  content::ContentService& content;
  std::function<std::string()> public_url;
};

void AddPipelineRoutes(Api& api, PipelineServices services);

// Standard or URL-safe base64, padding optional; kInvalidArgument "invalid_base64".
Result<std::string> DecodeBase64(std::string_view text);

}  // namespace hcms::api
