#include "jose/algorithm.hpp"

namespace latchkey::jose {

std::string_view to_string(Algorithm alg) {
  switch (alg) {
    case Algorithm::rs256:
      return "RS256";
    case Algorithm::ps256:
      return "PS256";
    case Algorithm::es256:
      return "ES256";
    case Algorithm::eddsa:
      return "EdDSA";
  }
  return "unknown";
}

std::vector<std::string> algorithm_names() {
  std::vector<std::string> names;
  names.reserve(kAlgorithms.size());
  for (const Algorithm alg : kAlgorithms) names.emplace_back(to_string(alg));
  return names;
}

std::optional<Algorithm> algorithm_from_string(std::string_view name) {
  for (const Algorithm alg : kAlgorithms) {
    if (to_string(alg) == name) return alg;
  }
  return std::nullopt;
}

}  // namespace latchkey::jose
