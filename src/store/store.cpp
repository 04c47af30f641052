#include "store/store.hpp"

namespace latchkey::store {

std::string_view to_string(StoreError error) {
  switch (error) {
    case StoreError::not_found:
      return "not_found";
    case StoreError::conflict:
      return "conflict";
    case StoreError::unavailable:
      return "unavailable";
  }
  return "unavailable";
}

}  // namespace latchkey::store
