#pragma once
// Result<T, E>: the value of an operation that can fail in an expected way (STYLE.md rule 3).
// Expected failures are values on the request path; exceptions are reserved for bugs and for
// start-up errors that end the process.

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace latchkey {

/// Wraps an error so that `Result<T, E>` can be built from it unambiguously.
template <class E>
struct Failure {
  E error;
};

/// Makes a Failure from any error value: `return fail(StoreError::not_found);`
template <class E>
[[nodiscard]] Failure<std::decay_t<E>> fail(E&& error) {
  return Failure<std::decay_t<E>>{std::forward<E>(error)};
}

/// Either a T or an E. Accessing the wrong alternative is a bug and asserts.
template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <class F>
  requires std::is_convertible_v<F, E> Result(Failure<F> failure)  // NOLINT: implicit by design
      : storage_(std::in_place_index<1>, E(std::move(failure.error))) {}

  [[nodiscard]] bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(storage_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(storage_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(storage_));
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(storage_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> storage_;
};

/// A Result with no value: success, or an E.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <class F>
  requires std::is_convertible_v<F, E> Result(Failure<F> failure)
      : error_(E(std::move(failure.error))) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const E& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<E> error_;
};

}  // namespace latchkey
