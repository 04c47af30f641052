#include "jose/jws.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>

#include "jose/base64url.hpp"
#include "jose/detail/key_material.hpp"
#include "jose/detail/signature.hpp"
#include "jose/strict_json.hpp"

namespace latchkey::jose {
namespace {

using nlohmann::json;

/// Compact JSON text that never throws: invalid UTF-8 in a caller's value becomes U+FFFD
/// instead of an exception on the request path.
std::string compact(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
};

/// RFC 7515 §7.1: exactly three base64url parts separated by two periods. Five parts would be a
/// JWE, which is never accepted here.
Result<Segments, JoseStatus> split(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return fail(JoseStatus::malformed);
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return fail(JoseStatus::malformed);
  if (token.find('.', second + 1) != std::string_view::npos) return fail(JoseStatus::malformed);
  Segments segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1)};
  if (segments.header.empty() || segments.signature.empty()) return fail(JoseStatus::malformed);
  return segments;
}

/// Headers up to this size are decoded on the stack; larger ones (rare) on the heap.
constexpr std::size_t kStackHeaderSize = 512;

/// RFC 7515 §5.2 steps 2-4: the header is base64url of a JSON object with unique member names.
Result<json, JoseStatus> decode_header(std::string_view encoded) {
  std::array<char, kStackHeaderSize> stack;  // not zeroed: only decoded bytes are read
  std::string heap;
  std::span<char> buffer(stack);
  if (base64url_decoded_size(encoded.size()) > stack.size()) {
    heap.resize(base64url_decoded_size(encoded.size()));
    buffer = heap;
  }
  auto size = base64url_decode_into(encoded, buffer);
  if (!size) return fail(JoseStatus::bad_base64);
  auto header = parse_json_object_strict(std::string_view(buffer.data(), *size));
  if (header) return std::move(*header);
  switch (header.error()) {
    case StrictJsonError::duplicate_key:
      return fail(JoseStatus::duplicate_header_key);
    case StrictJsonError::not_an_object:
      return fail(JoseStatus::malformed);
    case StrictJsonError::invalid:
      break;
  }
  return fail(JoseStatus::bad_json);
}

/// RFC 7515 §4.1.1: "alg" is required. RFC 8725 §3.1: "none" is never accepted, and only the
/// asymmetric algorithms latchkey supports are (so no HS* confusion with a public key).
Result<Algorithm, JoseStatus> header_algorithm(const json& header) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) return fail(JoseStatus::malformed);
  const std::string& name = alg->get_ref<const std::string&>();
  if (name == "none") return fail(JoseStatus::alg_none);
  const auto parsed = algorithm_from_string(name);
  if (!parsed) return fail(JoseStatus::unsupported_alg);
  return *parsed;
}

/// RFC 7515 §4.1.11: "crit" is a non-empty array of names present in the header; a JWS naming an
/// extension the recipient does not understand MUST be rejected.
Result<void, JoseStatus> check_crit(const json& header, const VerifyOptions& options) {
  const auto crit = header.find("crit");
  if (crit == header.end()) return {};
  if (!crit->is_array() || crit->empty()) return fail(JoseStatus::malformed);
  for (const json& name : *crit) {
    if (!name.is_string()) return fail(JoseStatus::malformed);
    const std::string& text = name.get_ref<const std::string&>();
    if (std::find(options.understood_crit.begin(), options.understood_crit.end(), text) ==
        options.understood_crit.end()) {
      return fail(JoseStatus::unsupported_crit);
    }
    if (!header.contains(text)) return fail(JoseStatus::malformed);
  }
  return {};
}

/// The key named by "kid", registered for this very algorithm (RFC 8725 §3.1).
Result<const PublicKey*, JoseStatus> select_key(const json& header, Algorithm alg,
                                                const KeySet& keys, const VerifyOptions& options) {
  const PublicKey* key = nullptr;
  if (const auto kid = header.find("kid"); kid != header.end()) {
    if (!kid->is_string()) return fail(JoseStatus::malformed);
    key = keys.find(kid->get_ref<const std::string&>());
  } else if (!options.require_kid) {
    key = keys.only_key_for(alg);
  }
  if (key == nullptr) return fail(JoseStatus::unknown_kid);
  if (key->alg() != alg) return fail(JoseStatus::key_alg_mismatch);
  return key;
}

struct CheckedHeader {
  json header;
  Algorithm alg = Algorithm::rs256;
  const PublicKey* key = nullptr;
};

Result<CheckedHeader, JoseStatus> check_header(std::string_view encoded, const KeySet& keys,
                                               const VerifyOptions& options) {
  auto header = decode_header(encoded);
  if (!header) return fail(header.error());
  auto alg = header_algorithm(*header);
  if (!alg) return fail(alg.error());
  if (auto crit = check_crit(*header, options); !crit) return fail(crit.error());
  auto key = select_key(*header, *alg, keys, options);
  if (!key) return fail(key.error());
  return CheckedHeader{std::move(*header), *alg, *key};
}

std::string finish_signature(std::string signing_input, const detail::KeyMaterial& key) {
  detail::SignatureBytes signature;
  if (!detail::sign_input(key, signing_input, signature)) {
    throw std::runtime_error("OpenSSL failed to produce a JWS signature");
  }
  signing_input.push_back('.');
  base64url_append(signing_input, signature.view());
  return signing_input;
}

void append_header(std::string& out, const json& header_extra, const detail::KeyMaterial& key) {
  if (header_extra.is_null() || (header_extra.is_object() && header_extra.empty())) {
    out += key.encoded_default_header;
    return;
  }
  if (!header_extra.is_object()) {
    throw std::invalid_argument("JWS header members must be a JSON object");
  }
  std::string header = key.header_prefix;
  for (const auto& [name, value] : header_extra.items()) {
    if (name == "alg" || name == "kid") continue;  // the key decides these, never the caller
    header.push_back(',');
    header += compact(json(name));
    header.push_back(':');
    header += compact(value);
  }
  header.push_back('}');
  base64url_append(out, header);
}

}  // namespace

Result<VerifiedJws, JoseStatus> verify(std::string_view token, const KeySet& keys,
                                       const VerifyOptions& options) {
  if (token.size() > options.max_token_size) return fail(JoseStatus::too_large);
  auto segments = split(token);
  if (!segments) return fail(segments.error());
  auto checked = check_header(segments->header, keys, options);
  if (!checked) return fail(checked.error());
  // A signature longer than any key's is refused before decoding (into a stack buffer).
  detail::SignatureBytes signature;
  if (base64url_decoded_size(segments->signature.size()) > signature.data.size()) {
    return fail(JoseStatus::bad_signature);
  }
  auto signature_size = base64url_decode_into(
      segments->signature,
      std::span(reinterpret_cast<char*>(signature.data.data()), signature.data.size()));
  auto payload = base64url_decode(segments->payload);
  if (!signature_size || !payload) return fail(JoseStatus::bad_base64);
  // RFC 7515 §5.2 step 8: the signing input is the encoded header and payload as received.
  const std::string_view signing_input =
      token.substr(0, segments->header.size() + 1 + segments->payload.size());
  if (!detail::verify_input(checked->key->material(), signing_input,
                            std::span(signature.data).first(*signature_size))) {
    return fail(JoseStatus::bad_signature);
  }
  return VerifiedJws{std::move(checked->header), std::move(*payload), checked->alg,
                     checked->key->kid()};
}

std::string sign(const json& header_extra, std::string_view payload, const SigningKey& key) {
  const detail::KeyMaterial& material = key.material();
  std::string out;
  out.reserve(material.encoded_default_header.size() + 64 + base64url_encoded_size(payload.size()) +
              base64url_encoded_size(material.signature_size) + 2);
  append_header(out, header_extra, material);
  out.push_back('.');
  base64url_append(out, payload);
  return finish_signature(std::move(out), material);
}

std::string sign_json(const json& header_extra, const json& claims, const SigningKey& key) {
  return sign(header_extra, compact(claims), key);
}

Result<std::string, JoseStatus> sign_with_header(std::string_view header_json,
                                                 std::string_view payload, const SigningKey& key) {
  auto header = parse_json_object_strict(header_json);
  if (!header) {
    return fail(header.error() == StrictJsonError::duplicate_key ? JoseStatus::duplicate_header_key
                                                                 : JoseStatus::bad_json);
  }
  auto alg = header_algorithm(*header);
  if (!alg) return fail(alg.error());
  if (*alg != key.alg()) return fail(JoseStatus::key_alg_mismatch);
  std::string out = base64url_encode(header_json);
  out.push_back('.');
  base64url_append(out, payload);
  return finish_signature(std::move(out), key.material());
}

}  // namespace latchkey::jose
