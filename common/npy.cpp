#include "hashrl/common/npy.h"

#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/limits.h"

namespace hashrl {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

struct DtypeName {
  const char* descr;
  torch::ScalarType type;
};
// Single-byte types are written with '|' by NumPy; '<' is accepted too.
constexpr DtypeName kDtypes[] = {
    {"|b1", torch::kBool},  {"|u1", torch::kUInt8}, {"|i1", torch::kInt8},
    {"<i4", torch::kInt32}, {"<i8", torch::kInt64}, {"<f4", torch::kFloat32},
    {"<f8", torch::kFloat64}};

torch::ScalarType dtype_from_descr(std::string descr, const std::string& origin) {
  if (descr.size() == 3 && descr[0] == '<' && descr[2] == '1') descr[0] = '|';
  for (const auto& d : kDtypes)
    if (descr == d.descr) return d.type;
  fail("{}: unsupported .npy dtype '{}' (supported: bool, uint8, int8, int32, int64, float32, "
       "float64, little-endian)", origin, descr);
}

// The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
// Read by hand rather than with std::regex: libstdc++'s regex recurses per character and
// overflows the stack on a long value (a crafted 30,000-character dtype crashed every reader).
struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// The text after "'key':" (spaces skipped), or npos when the key is absent.
size_t value_of(const std::string& header, const std::string& key) {
  const size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) return at;
  size_t i = header.find_first_not_of(' ', at + key.size() + 2);
  if (i == std::string::npos || header[i] != ':') return std::string::npos;
  return header.find_first_not_of(' ', i + 1);
}

NpyHeader parse_header(const std::string& header, const std::string& origin) {
  NpyHeader out;
  size_t i = value_of(header, "descr");
  const size_t descr_end = i == std::string::npos ? i : header.find('\'', i + 1);
  if (i == std::string::npos || header[i] != '\'' || descr_end == std::string::npos)
    fail("{}: .npy header has no 'descr'", origin);
  out.descr = header.substr(i + 1, descr_end - i - 1);
  if (out.descr.size() > 16) fail("{}: .npy dtype of {} characters is not one hashrl reads", origin, out.descr.size());

  i = value_of(header, "fortran_order");
  if (i != std::string::npos && header.compare(i, 4, "True") == 0) out.fortran_order = true;
  else if (i == std::string::npos || header.compare(i, 5, "False") != 0)
    fail("{}: .npy header has no 'fortran_order'", origin);

  i = value_of(header, "shape");
  const size_t shape_end = i == std::string::npos ? i : header.find(')', i);
  if (i == std::string::npos || header[i] != '(' || shape_end == std::string::npos)
    fail("{}: .npy header has no 'shape'", origin);
  const std::string dims = header.substr(i + 1, shape_end - i - 1);
  // "", "5,", "3, 4": non-negative decimal integers separated by commas, a trailing comma allowed.
  size_t pos = 0;
  while (true) {
    pos = dims.find_first_not_of(' ', pos);
    if (pos == std::string::npos) break;
    const size_t digits_end = dims.find_first_not_of("0123456789", pos);
    const std::string digits = dims.substr(pos, digits_end - pos);
    if (digits.empty() || digits.size() > 15)
      fail("{}: cannot read the .npy shape '({})': dimensions must be integers from 0 to 10^15", origin, dims);
    out.shape.push_back(std::stoll(digits));
    pos = dims.find_first_not_of(' ', digits_end);
    if (pos == std::string::npos) break;
    if (dims[pos] != ',') fail("{}: cannot read the .npy shape '({})'", origin, dims);
    ++pos;
  }
  if (out.shape.size() > 32) fail("{}: .npy shape has {} dimensions, more than 32", origin, out.shape.size());
  return out;
}

const char* descr_from_dtype(torch::ScalarType type) {
  for (const auto& d : kDtypes)
    if (type == d.type) return d.descr;
  fail("cannot write a tensor of dtype {} as .npy", c10::toString(type));
}

}  // namespace

torch::Tensor parse_npy(const std::string& bytes, const std::string& origin) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    fail("{}: not a .npy file (bad magic string)", origin);
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail("{}: truncated .npy header", origin);
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + i]);
    header_start = 12;
  } else {
    fail("{}: unsupported .npy version {}", origin, major);
  }
  if (header_start + header_len > bytes.size()) fail("{}: truncated .npy header", origin);
  const NpyHeader header = parse_header(bytes.substr(header_start, header_len), origin);
  const torch::ScalarType type = dtype_from_descr(header.descr, origin);
  if (header.fortran_order) fail("{}: Fortran-ordered .npy arrays are not supported; save with C order", origin);
  const std::vector<int64_t>& shape = header.shape;

  int64_t count = 1;
  for (const auto d : shape) {
    if (d > 0 && count > kMaxFileElements / d)
      fail("{}: .npy shape {} holds more than {} elements", origin, c10::IntArrayRef(shape), kMaxFileElements);
    count *= d;
  }
  const size_t data_start = header_start + header_len;
  const size_t expected = static_cast<size_t>(count) * c10::elementSize(type);
  if (bytes.size() - data_start != expected)
    fail("{}: .npy data holds {} bytes, but its header's shape and dtype need {}", origin,
         bytes.size() - data_start, expected);
  auto tensor = torch::empty(shape, torch::TensorOptions().dtype(type));
  if (expected) std::memcpy(tensor.data_ptr(), bytes.data() + data_start, expected);
  return tensor;
}

torch::Tensor load_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string to_npy(const torch::Tensor& tensor) {
  const auto t = tensor.detach().to(torch::kCPU).contiguous();
  // NumPy's tuple syntax: "()", "(5,)", "(3, 4)".
  std::string shape;
  for (int64_t i = 0; i < t.dim(); ++i) shape += (i ? ", " : "") + std::to_string(t.size(i));
  if (t.dim() == 1) shape += ",";
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}",
                                   descr_from_dtype(t.scalar_type()), shape);
  // Pad with spaces so that the data starts on a 64-byte boundary, as NumPy does.
  const size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out(kMagic, kMagicSize);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(static_cast<const char*>(t.data_ptr()), t.numel() * t.element_size());
  return out;
}

void save_npy(const std::string& path, const torch::Tensor& tensor) {
  write_file_atomic(path, to_npy(tensor));
}

}  // namespace hashrl
