// Errors of the model compiler: every refusal is a CompileError whose
// message names the model and, where it applies, the operator or tensor.
#pragma once

#include <stdexcept>
#include <string>

namespace tp::compiler {

class CompileError : public std::runtime_error {
 public:
  explicit CompileError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace tp::compiler
