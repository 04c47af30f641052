#pragma once
// What every connection of a run shares, read-only: the options, the issuer's address and the
// endpoints discovery named (as request targets on the issuer's origin).

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

#include "oauth_support.hpp"
#include "options.hpp"

namespace latchkey::loadgen {

struct FlowContext {
  const Options* options = nullptr;
  HttpUrl issuer;
  std::vector<boost::asio::ip::tcp::endpoint> addresses;
  std::string discovery_target;
  std::string authorization_target;
  std::string token_target;
  std::string userinfo_target;  ///< empty when discovery names none
  std::string jwks_target;
};

}  // namespace latchkey::loadgen
