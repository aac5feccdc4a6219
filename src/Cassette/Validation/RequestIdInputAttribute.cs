using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace Cassette.Validation
{
    /// <summary>
    /// What -RequestId accepts: text, or an object that carries a request id as text in a RequestId, request_id or Id
    /// property (Cassette's own objects, a CSV row, fal's JSON). Anything else (a file, a PowerShell job whose Id is a
    /// number) is refused while binding, so it never costs a call to the queue nor comes back as RequestNotFound.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RequestIdInputAttribute : ArgumentTransformationAttribute
    {
        private static readonly string[] IdProperties = { "RequestId", "request_id", "Id" };

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is null) return inputData;
            if (value is IList list)
            {
                var ids = new List<string>(list.Count);
                foreach (object? item in list) ids.Add(IdOf(item));
                return ids.ToArray();
            }
            return new[] { IdOf(inputData) };
        }

        private static string IdOf(object? item)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case string text: return text;
                case Guid guid: return guid.ToString();
            }
            if (value != null && !(value is ValueType))
            {
                var properties = PSObject.AsPSObject(item).Properties;
                foreach (string name in IdProperties)
                {
                    if (properties[name]?.Value is object id && (id is PSObject p ? p.BaseObject : id) is string text && text.Length > 0) return text;
                }
            }
            throw new ArgumentTransformationMetadataException(
                $"-RequestId takes a request id (text, such as 1f0c9e52-2b6d-4c1e-9a57-5d7b3f0a8e21) or an object with a RequestId or request_id property; " +
                $"a {value?.GetType().Name ?? "null"} is neither.");
        }
    }
}
