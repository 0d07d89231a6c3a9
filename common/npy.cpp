#include "hashrl/common/npy.h"

#include <cstring>
#include <regex>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"

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
  const std::string header = bytes.substr(header_start, header_len);

  std::smatch m;
  static const std::regex descr_re(R"('descr'\s*:\s*'([^']*)')");
  static const std::regex order_re(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shape_re(R"('shape'\s*:\s*\(([^)]*)\))");
  if (!std::regex_search(header, m, descr_re)) fail("{}: .npy header has no 'descr'", origin);
  const torch::ScalarType type = dtype_from_descr(m[1], origin);
  if (!std::regex_search(header, m, order_re)) fail("{}: .npy header has no 'fortran_order'", origin);
  if (m[1] == "True") fail("{}: Fortran-ordered .npy arrays are not supported; save with C order", origin);
  if (!std::regex_search(header, m, shape_re)) fail("{}: .npy header has no 'shape'", origin);

  std::vector<int64_t> shape;
  const std::string dims = m[1];
  static const std::regex dim_re(R"(\s*(\d+)\s*(,|$))");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), dim_re); it != std::sregex_iterator(); ++it)
    shape.push_back(std::stoll((*it)[1]));
  if (shape.empty() && dims.find_first_not_of(" ,") != std::string::npos)
    fail("{}: cannot read the .npy shape '({})'", origin, dims);

  int64_t count = 1;
  for (const auto d : shape) {
    if (d > 0 && count > (int64_t{1} << 40) / d) fail("{}: .npy shape is implausibly large", origin);
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
